"""The PII detectors: precise RE2 patterns (linear time), a looser RE2 prefilter, and a validator each.

Every precise pattern runs on RE2, whose matching time is linear in the text: no pattern can
backtrack, whatever a cell holds (a megabyte of `-eyJ` took Python's `re` ten minutes). RE2 has
no lookaround, so each lookbehind/lookahead of the detectors is written as consumed context: one
character before the match, one (or a dot and one) after it. The scanner frames every text as
"\\n" + text + "\\n" (a character no condition excludes, standing for start/end of text), the
match itself is the group `m` (`m2`, `m3` for alternatives with other context), each search
starts one character before where the previous match ended, and RE2's leftmost-first semantics
pick the match a backtracking engine picks for the same pattern: the spans are exactly those of
the lookaround patterns (tests/pii/test_re2_equivalence.py keeps those as the reference).
Python's `\\w`, `\\d` and `\\s` are Unicode-aware; RE2's are ASCII, so the Unicode classes are
spelled out (W, D, WS below).

A detector may have several patterns (passes): the secret detector splits its branches whose
partial matches can stay open over long runs (JWT segments, `key = value` with blank runs) from
the vendor-prefixed keys, so that no branch of one pass keeps the RE2 automaton scanning past
another branch's match over and over (leftmost-first must wait for every earlier-starting,
higher-priority thread to die).

The prefilter (run by pyarrow's RE2 engine over the whole column at once) must match every text
the precise pattern could match *and its validator accept*; it only decides which rows the
precise pass has to read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from airflow_evalguard.pii import validators as v

W = r"\pL\pN_"  # Python's \w on str (str.isalnum() or "_"); used inside [...]
D = r"\p{Nd}"  # Python's \d on str (Unicode decimal digits)
WS = r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\p{Z}"  # Python's \s on str (str.isspace()); used inside [...]
# The same classes restricted to ASCII, where RE2's own \w, \d, \s (+ the ASCII blanks Python's \s
# also has) are exact. A pattern spelled with them runs about twice as fast (RE2's UTF-8 automata
# for the Unicode classes are large), so a text that is all ASCII, which most are, gets those.
_ASCII = ((W, r"\w"), (D, r"\d"), (WS, r"\s\x0b\x1c-\x1f"))


def ascii_only(pattern: str) -> str:
    """`pattern` for texts that are all ASCII: the same matches, with ASCII classes."""
    for unicode_class, ascii_class in _ASCII:
        pattern = pattern.replace(unicode_class, ascii_class)
    return pattern


class Candidate:
    """One match of a precise pattern, handed to its detector's validator. `data` is the framed
    UTF-8 text the pattern ran on; `before` (up to 16 characters before the match, the version
    context of IPs) is cut only when a validator reads it."""

    __slots__ = ("_data", "_start", "text", "value")

    def __init__(self, data: bytes, start: int, end: int, value: str | None = None):
        self._data, self._start = data, start
        self.text = data[start:end].decode("utf-8", "surrogatepass")  # the match
        self.value = value  # the named group `value` (the assigned value of `password: ...`)

    @property
    def before(self) -> str:
        data, start = self._data, self._start
        lo = max(1, start - 64)  # 16 characters are at most 64 bytes
        while lo < start and 0x80 <= data[lo] < 0xC0:  # not in the middle of a character
            lo += 1
        return data[lo:start].decode("utf-8", "surrogatepass")[-16:]


@dataclass(frozen=True)
class Detector:
    kind: str
    patterns: tuple[str, ...]  # RE2 over "\n" + text + "\n": context char, (?P<m>match), context
    prefilter: str  # RE2 (no lookaround): matches every text a validated match can be in
    validate: Callable[[Candidate], bool]


def _ip_valid(c: Candidate) -> bool:
    if ":" in c.text:
        return v.ipv6_valid(c.text)
    return v.ipv4_octets_valid(c.text) and v.ipv4_context_valid(c.before)  # context cut only if needed


DETECTORS: dict[str, Detector] = {
    d.kind: d
    for d in (
        Detector(
            "secret",
            (
                # vendor key formats: every partial match is settled within a few dozen characters
                r"[^A-Za-z0-9_](?P<m>sk-(?:proj-|live-|test-|ant-)?[A-Za-z0-9_-]{20,}|sk_(?:live|test)_[A-Za-z0-9]{16,}"
                r"|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}"
                r"|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}"
                r"|-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----)",
                # JWTs: a header segment stays a partial match until its dot
                r"[^A-Za-z0-9_](?P<m>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})",
                # `api_key = value`: a key name stays a partial match over any run of blanks
                rf"[^A-Za-z0-9_](?P<m>(?i:api[_-]?key|secret[_-]?key|access[_-]?token|auth[_-]?token|secret|token"
                rf"|password|passwd|pwd)[{WS}]*[:=][{WS}]*[\"']?(?P<value>[^{WS}\"',;]{{6,}}))",
            ),
            rf"sk-|sk_live_|sk_test_|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|AIza|glpat-|-----BEGIN|eyJ"
            rf"|(?i:key|secret|token|password|passwd|pwd)[{WS}]*[:=]",
            lambda c: v.secret_valid(c.value, c.text),
        ),
        Detector(
            "email",
            (
                rf"[^{W}.%+-](?P<m>[A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+"
                rf"[A-Za-z]{{2,24}})[^{W}-]",
            ),
            r"@[A-Za-z0-9]",
            lambda c: v.email_valid(c.text),
        ),
        Detector(
            "iban",
            (rf"[^A-Za-z0-9](?P<m>[A-Z]{{2}}{D}{{2}}(?: ?[A-Z0-9]{{4}}){{2,7}}(?: ?[A-Z0-9]{{1,3}})?)[^A-Za-z0-9]",),
            rf"[A-Z]{{2}}{D}{{2}} ?[A-Z0-9]{{4}}",
            lambda c: v.iban_valid(c.text),
        ),
        Detector(
            "credit_card",
            (rf"[^{D}+.-](?P<m>{D}(?:[ -]?{D}){{12,18}})(?:[^{D}.-]|\.[^{D}])",),
            rf"{D}(?:[ -]?{D}){{12}}",
            lambda c: v.credit_card_valid(c.text),
        ),
        Detector(
            "ip",
            (
                rf"[^{W}.:](?:(?P<m>(?:{D}{{1,3}}\.){{3}}{D}{{1,3}})(?:\.[^{D}]|[^{W}.])"
                rf"|(?P<m2>(?:[0-9A-Fa-f]{{0,4}}:){{2,7}}[0-9A-Fa-f]{{0,4}})[^{W}:])",
            ),
            rf"{D}{{1,3}}\.{D}{{1,3}}\.{D}{{1,3}}\.{D}|[0-9A-Fa-f]*:[0-9A-Fa-f]*:",
            _ip_valid,
        ),
        Detector(
            "phone",
            (
                rf"[^{W}+.-](?P<m>(?:\+{D}{{1,3}}[ .-]?)?(?:\({D}{{3}}\)[ .-]?)?{D}{{1,5}}(?:[ ./-]{D}{{2,8}}){{1,4}})"
                rf"(?:[^{W}.-]|\.[^{D}])"
                rf"|[^{W}+](?P<m2>\+{D}{{7,15}})[^{W}]"
                rf"|[^{W}+](?P<m3>(?:\+1[ .-]?)?\({D}{{3}}\)[ .-]?{D}{{3}}[ .-]?{D}{{4}})[^{W}-]",
            ),
            rf"\+{D}|\({D}{{3}}\)|{D}{{3}}[ .-]{D}{{3}}[ .-]{D}{{4}}|\b0{D}{{1,4}}[ ./-]?{D}{{2}}",
            lambda c: v.phone_valid(c.text),
        ),
    )
}
KINDS = tuple(DETECTORS)
