"""Values a hostile or careless producer puts in a table, and a secret to plant among them."""

from __future__ import annotations

import math

from hypothesis import strategies as st

# A live-looking key in a format the PII scanner knows (sk-live-...): if it shows up in an
# output that should not carry it, it leaked. Split so no scanner flags this source file.
PLANTED_SECRET = "sk-" + "live-" + "Q7hR2mX9vL4kT8wZ3nB6yC1d"
PLANTED_EMAIL = "planted.victim" + "@" + "example.org"

SCALARS = st.sampled_from(
    [
        math.nan,
        math.inf,
        -math.inf,
        None,
        0,
        -1,
        1e308,
        -1e308,
        2**63 - 1,
        True,
        "",
        " ",
        "\x00",
        "nan",
        "NaN",
        "inf",
        "null",
        "None",
        "-1",
        "1e999",
        "'; DROP TABLE t; --",
        '" OR 1=1 --',
        "<script>alert(1)</script>",
        "{{ 7*7 }}",
        "${jndi:ldap://x}",
        "../../etc/passwd",
        "é" * 3,
        "\u202e\u200b",
        "x" * 10_000,
        "a\nb\r\nc",
        "1,2;3\t4",
    ]
)


def hostile_column(length: int) -> st.SearchStrategy[list]:
    """A whole column of hostile values: one value repeated, or a mix."""
    return st.one_of(
        SCALARS.map(lambda value: [value] * length),
        st.lists(SCALARS, min_size=length, max_size=length),
    )
