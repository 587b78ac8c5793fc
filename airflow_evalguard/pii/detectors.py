"""The PII detectors: a precise Python pattern, a looser RE2 prefilter, and a validator each.

The prefilter (run by pyarrow's RE2 engine over the whole column at once) must match every text
the precise pattern could match; it only decides which rows the precise pass has to read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from airflow_evalguard.pii import validators as v


@dataclass(frozen=True)
class Detector:
    kind: str
    pattern: str  # Python `re`, a named group per kind in the combined pattern
    prefilter: str  # RE2 (no lookaround): a superset of what `pattern` matches
    validate: Callable[[re.Match, str], bool]


def _before(m: re.Match, text: str) -> str:
    return text[max(0, m.start() - 16):m.start()]


DETECTORS: dict[str, Detector] = {d.kind: d for d in (
    Detector(
        "secret",
        r"(?<![A-Za-z0-9_])(?:sk-(?:proj-|live-|test-|ant-)?[A-Za-z0-9_-]{20,}|sk_(?:live|test)_[A-Za-z0-9]{16,}"
        r"|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}"
        r"|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}"
        r"|-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"
        r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
        r"|(?i:api[_-]?key|secret[_-]?key|access[_-]?token|auth[_-]?token|secret|token|password|passwd|pwd)"
        r"\s*[:=]\s*[\"']?(?P<secret_value>[^\s\"',;]{6,}))",
        r"sk-|sk_live_|sk_test_|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|AIza|glpat-|-----BEGIN|eyJ"
        r"|(?i:key|secret|token|password|passwd|pwd)\s*[:=]",
        lambda m, text: v.secret_valid(m.group("secret_value"), m.group("secret")),
    ),
    Detector(
        "email",
        r"(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
        r"[A-Za-z]{2,24}(?![\w-])",
        r"@[A-Za-z0-9]",
        lambda m, text: v.email_valid(m.group("email")),
    ),
    Detector(
        "iban",
        r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])",
        r"[A-Z]{2}\d{2} ?[A-Z0-9]{4}",
        lambda m, text: v.iban_valid(m.group("iban")),
    ),
    Detector(
        "credit_card",
        r"(?<![\d+.-])\d(?:[ -]?\d){12,18}(?![\d-]|\.\d)",
        r"\d(?:[ -]?\d){12}",
        lambda m, text: v.credit_card_valid(m.group("credit_card")),
    ),
    Detector(
        "ip",
        r"(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d|\w)|(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:]))",
        r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d|[0-9A-Fa-f]*:[0-9A-Fa-f]*:",
        lambda m, text: (v.ipv6_valid(m.group("ip")) if ":" in m.group("ip")
                         else v.ipv4_valid(m.group("ip"), _before(m, text))),
    ),
    Detector(
        "phone",
        r"(?<![\w+.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{3}\)[ .-]?)?\d{1,5}(?:[ ./-]\d{2,8}){1,4}(?![\w-]|\.\d)"
        r"|(?<![\w+])\+\d{7,15}(?!\w)|(?<![\w+])(?:\+1[ .-]?)?\(\d{3}\)[ .-]?\d{3}[ .-]?\d{4}(?![\w-])",
        r"\+\d|\(\d{3}\)|\d{3}[ .-]\d{3}[ .-]\d{4}|\b0\d{1,4}[ ./-]?\d{2}",
        lambda m, text: v.phone_valid(m.group("phone")),
    ),
)}
KINDS = tuple(DETECTORS)
