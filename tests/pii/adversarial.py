"""Adversarial text for the PII detectors: units that, repeated into megabyte cells, hit each
detector where a backtracking engine (or a careless scan loop) goes quadratic.

Used by tests/pii/test_linear_time.py (a time bound per detector) and by
benchmarks/pii_scan_throughput.py (MB/s against ordinary text).

NEAR_MISS: repeated prefixes, open partial matches, near-misses of every pattern and validator,
long digit/separator runs. They hold few or no real detections, so the time they take is the
engine's and the scan loop's. DENSE: real detections every few bytes; their cost is one
validation and one redaction per match (output-bound), reported apart.
"""

from __future__ import annotations

NEAR_MISS: dict[str, tuple[str, ...]] = {
    "secret": (
        "-eyJ",  # a JWT header opens at every 4th byte and never closes (Python's re: ~39 s per 256 KB)
        "eyJ",
        "eyJaaaaaaaa.",  # one segment, dot, again: the second segment never comes
        "eyJaaaaaaaa.eyJ-",
        "sk-",
        "sk-proj-",
        "sk_live_",
        "ghp_",
        "github_pat_",
        "glpat-",
        "xoxb-",
        "AIza",
        "AKIA",
        "ASIA1",
        "-----BEGIN ",
        "-----BEGIN RSA ",
        "-----BEGIN A",
        "password ",
        "password=",
        "token:",
        "api_key = ",
        "secret\t",
        "pwd=x;",
        "Token: '",
    ),
    "email": (
        "a@a.",
        "a@",
        "@a",
        "a.a@",
        "_a@a.",
        "a@1.",
        "a@a-",
        "a.",
        "a@b.c ",
        "x" * 63 + "@",
        "a@b.png ",  # validator near-miss: an asset name, every 8 bytes
    ),
    "iban": (
        "DE89 ",
        "AB12",
        "AB12 CDEF ",
        "GB82WEST",
        "DE89 3704 0044 0532 0130 01 ",  # wrong check digits
        "ZZ12 3456 7890 1234 ",
    ),
    "credit_card": (
        "1 ",
        "1-",
        "1",
        "1.",
        "4111 1111 1111 1112 ",  # Luhn near-miss every 20 bytes
        "4111-1111 1111-1111 ",
        "1234 5678 9012 3456 ",
        "\u0663 ",  # Arabic-Indic digits
    ),
    "ip": (
        "1.1.1.",
        "1.",
        "::::",
        "a:",
        "1:",
        "1.1.1.1.",
        "999.1.1.1 ",
        "version 1.2.3.4 ",
        "ab::cd ",
        "1.1.1.1:",
    ),
    "phone": (
        "+1 ",
        "(415) ",
        "0",
        "1/",
        "12 34 ",
        "+",
        "0049 ",
        "555-0132 ",
        "1-2-3-",
        "+1 (",
    ),
}

DENSE: dict[str, tuple[str, ...]] = {
    "secret": ("AKIA0123456789ABCDEF ", "eyJ-AKIA0123456789ABCDEF-"),
    "email": ("a@b.cc ",),
    "iban": ("GB82 WEST 1234 5698 7654 32 ",),
    "credit_card": ("4111 1111 1111 1111 ",),
    "ip": ("1.1.1.1 ",),
    "phone": ("+1 415 555 0132 ",),
}


def cell(unit: str, size: int = 1 << 20) -> str:
    """`unit` repeated to `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]
