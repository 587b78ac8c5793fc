"""The RE2 detectors find exactly what the Python-`re` detectors with lookbehind/lookahead found.

REFERENCE below is the previous implementation's patterns (Python `re`, lookaround and all) and
its scan loop, fed to the same validators. On random texts built to hit every boundary condition
(ASCII and Unicode word characters, Unicode digits and blanks, lone surrogates, separators,
labelled-set fragments glued together), the RE2 scanner with every detector always run must
return the same spans. (With the per-text prefilter gate, a detector whose prefilter cannot match
also has no rejected candidates to mask others with: see test_gated_scanner_only_adds_matches.)
"""

from __future__ import annotations

import random
import re

import pytest

from airflow_evalguard.pii import validators as v
from airflow_evalguard.pii.detectors import KINDS
from airflow_evalguard.pii.scanner import PiiScanner
from tests.pii.labelled_set import LABELLED

REFERENCE = {
    "secret": (
        r"(?<![A-Za-z0-9_])(?:sk-(?:proj-|live-|test-|ant-)?[A-Za-z0-9_-]{20,}|sk_(?:live|test)_[A-Za-z0-9]{16,}"
        r"|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}"
        r"|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}"
        r"|-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"
        r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
        r"|(?i:api[_-]?key|secret[_-]?key|access[_-]?token|auth[_-]?token|secret|token|password|passwd|pwd)"
        r"\s*[:=]\s*[\"']?(?P<secret_value>[^\s\"',;]{6,}))",
        lambda m, t: v.secret_valid(m.group("secret_value"), m.group("secret")),
    ),
    "email": (
        r"(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
        r"[A-Za-z]{2,24}(?![\w-])",
        lambda m, t: v.email_valid(m.group("email")),
    ),
    "iban": (
        r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])",
        lambda m, t: v.iban_valid(m.group("iban")),
    ),
    "credit_card": (
        r"(?<![\d+.-])\d(?:[ -]?\d){12,18}(?![\d-]|\.\d)",
        lambda m, t: v.credit_card_valid(m.group("credit_card")),
    ),
    "ip": (
        r"(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d|\w)|(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:]))",
        lambda m, t: (
            v.ipv6_valid(m.group("ip"))
            if ":" in m.group("ip")
            else v.ipv4_valid(m.group("ip"), t[max(0, m.start() - 16) : m.start()])
        ),
    ),
    "phone": (
        r"(?<![\w+.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{3}\)[ .-]?)?\d{1,5}(?:[ ./-]\d{2,8}){1,4}(?![\w-]|\.\d)"
        r"|(?<![\w+])\+\d{7,15}(?!\w)|(?<![\w+])(?:\+1[ .-]?)?\(\d{3}\)[ .-]?\d{3}[ .-]?\d{4}(?![\w-])",
        lambda m, t: v.phone_valid(m.group("phone")),
    ),
}


class Reference:
    """The previous scan loop: one combined Python pattern, leftmost candidate, the others at
    the same position when it fails validation, skip the rejected candidate."""

    def __init__(self, kinds=KINDS):
        self.kinds = [k for k in KINDS if k in kinds]
        self.combined = re.compile("|".join(f"(?P<{k}>{REFERENCE[k][0]})" for k in self.kinds))
        self.single = {k: re.compile(f"(?P<{k}>{REFERENCE[k][0]})") for k in self.kinds}

    def find(self, text):
        spans, pos = [], 0
        while True:
            m = self.combined.search(text, pos)
            if m is None:
                return spans
            first = next(k for k in self.kinds if m.group(k) is not None)
            found = (m.start(), m.end(), first) if REFERENCE[first][1](m, text) else None
            if found is None:
                for k in self.kinds:
                    if k != first:
                        alt = self.single[k].match(text, m.start())
                        if alt is not None and REFERENCE[k][1](alt, text):
                            found = (alt.start(), alt.end(), k)
                            break
            if found is None:
                pos = m.end() if m.end() > m.start() else m.start() + 1
                continue
            spans.append(found)
            pos = found[1]


class _EveryDetector:
    def __init__(self, n):
        self.n = n

    def Match(self, data):  # noqa: N802 - RE2's name
        return list(range(self.n))


def _ungated(kinds=KINDS) -> PiiScanner:
    scanner = PiiScanner(kinds)
    scanner.which_ascii = scanner.which_unicode = _EveryDetector(len(scanner.detectors))
    return scanner


ALPHABETS = (
    "0123456789 -.:()+@abcdefxyzABKIS_=/",
    "0123456789 -./",
    "0123456789.:abcdefABCDEF v",
    "aAeyJ._-0123456789 ",
    "skprojt-_0123456789abcdefghijklmnopqrstuvwxyz ",
    "DEGB0123456789 ABCDEFWXYZ",
    "a@.b-c1 _%+é",
    "password=: \t'\"x0123456789\u00a0",
    "0123456789 \u0663\u0664\u0661-+.é😀東",
    "ab@.c0\ud800\u2003-_:",
)


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    pieces = [t for t, _ in LABELLED]
    glue = ["", " ", "-", ".", "_", "é", "\n", ":", "😀", "\u00a0", "٣", "\ud800", "a", "1", "@"]
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            alphabet = rng.choice(ALPHABETS)
            out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))))
        elif r < 0.8:
            out.append(rng.choice(pieces) + rng.choice(glue) + rng.choice(pieces))
        else:
            out.append("".join(rng.choice(pieces)[rng.randint(0, 10) :] + rng.choice(glue) for _ in range(3)))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_re2_detectors_find_what_the_lookaround_patterns_found(seed):
    reference, scanner = Reference(), _ungated()
    diffs = [(t, reference.find(t), scanner.find(t)) for t in _texts(seed, 4000)]
    diffs = [d for d in diffs if d[1] != d[2]]
    assert diffs == []


@pytest.mark.parametrize("kind", KINDS)
def test_each_detector_alone_matches_its_reference(kind):
    reference, scanner = Reference([kind]), _ungated([kind])
    diffs = [(t, reference.find(t), scanner.find(t)) for t in _texts(10 + KINDS.index(kind), 1500)]
    assert [d for d in diffs if d[1] != d[2]] == []


def test_gated_scanner_only_adds_matches():
    """Gated by the per-text prefilter, a detector that cannot match is not run, so its rejected
    candidates no longer hide a real match of another detector ("6 2001:db8::8a2e:370:7334": the
    "phone" 6 2001 used to hide the IPv6 address). It never loses a match."""
    gated, ungated = PiiScanner(), _ungated()
    for text in _texts(7, 4000):
        assert set(ungated.find(text)) <= set(gated.find(text)), text
    assert gated.find("6 2001:db8::8a2e:370:7334 x") == [(2, 25, "ip")]
