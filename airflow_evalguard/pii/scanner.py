"""Find and redact PII in a column of text: one RE2 pass over the column, then linear-time RE2
passes over each candidate cell.

The RE2 prefilter (pyarrow.compute, all detectors combined into one alternation) reads every
row once at C speed and rules most rows out. In a row it keeps, one RE2 Set pass names the
detectors whose own prefilter matches, and only their precise RE2 patterns read the text (linear
in its length: no backtracking, whatever the cell holds), left to right: the leftmost candidate
of any detector is validated (Luhn, mod 97, octet ranges, ...); when it fails, the other
detectors' candidates at the same position get a chance, and when none is valid the whole
rejected candidate is skipped (the tail of an order number that fails Luhn must not come back as
a "phone number"). A detector whose prefilter does not match cannot have a valid match, so it has
no candidates to skip over either.

Work per cell is linear, and bounded: each cell puts at most `candidate_budget(bytes)` candidates
through validation; past that, the rest of the cell is treated as PII and redacted whole (fail
closed: nothing unread reaches an accepted row). Each pattern resumes where the scan stands and is searched again only
when the scan has moved past its pending candidate (the regions searched twice are at most the
candidates themselves); RE2 gets the cell's UTF-8 bytes once (its str interface would re-encode
the whole text on every call); validators read the candidate and at most 16 characters before it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import re2
from numpy.typing import NDArray

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.pii.detectors import DETECTORS, KINDS, Candidate, Detector, ascii_only

_CONTINUATION = bytes(range(0x80, 0xC0))  # UTF-8 continuation bytes: not the start of a character
# Candidates one cell may put through validation: a fixed allowance plus one per 256 bytes.
# Validating a candidate costs a few microseconds of Python, so a cell packed with near-misses
# (a Luhn near-miss every 8 bytes) would cost ~30x what ordinary text of its size costs; with
# the budget a cell costs at most about twice an ordinary one. Ordinary feedback stays far below
# it (a 300-character row can hold a few dozen candidates at most; measured feedback text about
# one per 300 bytes). What the budget leaves unread is treated as PII (see PiiScanner._find).
CANDIDATE_ALLOWANCE = 1_024
BYTES_PER_EXTRA_CANDIDATE = 256


def candidate_budget(size: int) -> int:
    return CANDIDATE_ALLOWANCE + size // BYTES_PER_EXTRA_CANDIDATE


def redaction(kind: str) -> str:
    return f"[REDACTED:{kind}]"


@dataclass
class ScanResult:
    kinds: tuple[str, ...]
    hits: np.ndarray  # (rows, kinds) bool: row has at least one validated match of kind
    redacted: dict[int, str]  # row -> redacted text, for rows with any hit

    def any_hit(self) -> NDArray[np.bool_]:
        rows_hit: NDArray[np.bool_] = np.asarray(self.hits.any(axis=1))
        return rows_hit

    def kinds_of(self, row: int) -> list[str]:
        return [k for k, hit in zip(self.kinds, self.hits[row], strict=True) if hit]


# search(data, pos, endpos) -> (start, end) of every group
_Search = Callable[[bytes, int, int], Sequence[tuple[int, int]]]


def _matcher(pattern: str) -> _Search:
    """search(data, pos, endpos) -> [(start, end) of every group] ((-1, -1) for group 0: no
    match), RE2 over bytes. Through the compiled object's Match when the binding has it (bound
    with functools.partial: no Python frame per call): the module's `search` wraps each call in a
    generator and a match object, which adversarial text (a candidate every few bytes) pays for
    every time."""

    regex = re2.compile(pattern)
    raw = getattr(regex, "_regexp", None)
    if raw is not None and hasattr(raw, "Match"):
        return functools.partial(raw.Match, re2._Anchor.UNANCHORED)
    groups = regex.groups

    def search(data: bytes, pos: int, endpos: int) -> list[tuple[int, int]]:
        m = regex.search(data, pos, endpos)
        return [m.span(g) for g in range(groups + 1)] if m is not None else [(-1, -1)]

    return search


class _Pass:
    """One precise pattern of one detector, compiled for ASCII texts and for any text."""

    __slots__ = ("kind", "validate", "search_ascii", "search_unicode", "cores", "value")

    def __init__(self, detector: Detector, pattern: str):

        self.kind = detector.kind
        self.validate = detector.validate
        self.search_ascii = _matcher(ascii_only(pattern))
        self.search_unicode = _matcher(pattern)
        names = re2.compile(pattern).groupindex
        self.cores = tuple(names[g] for g in ("m", "m2", "m3") if g in names)
        self.value = names.get("value")

    def valid(self, data: bytes, found: tuple[int, int, Sequence[tuple[int, int]]]) -> bool:
        start, end, spans = found
        value = None
        if self.value is not None:
            vs, ve = spans[self.value]
            if vs >= 0:
                value = data[vs:ve].decode("utf-8", "surrogatepass")
        return self.validate(Candidate(data, start, end, value))


class PiiScanner:
    def __init__(self, kinds: list[str] | tuple[str, ...] = KINDS):
        unknown = sorted(set(kinds) - set(DETECTORS))
        if unknown:
            raise EvalGuardInputError(f"unknown PII detector(s) {unknown}; known: {list(KINDS)}")
        # Keep the canonical order: earlier detectors win a position (a secret before an e-mail,
        # an IBAN before a card), so the order is part of the behaviour, not the caller's choice.
        self.kinds = tuple(k for k in KINDS if k in set(kinds))
        self.detectors: list[Detector] = [DETECTORS[k] for k in self.kinds]
        self.passes = [_Pass(d, pattern) for d in self.detectors for pattern in d.patterns]
        self.pass_detector = [j for j, d in enumerate(self.detectors) for _ in d.patterns]
        self.prefilter = "|".join(f"(?:{d.prefilter})" for d in self.detectors)
        # Per text, one RE2 Set pass tells which detectors' prefilters match: the others' precise
        # patterns are not run at all (a row kept for a date needs no e-mail or secret search).
        self.which_ascii = _prefilter_set([ascii_only(d.prefilter) for d in self.detectors])
        self.which_unicode = _prefilter_set([d.prefilter for d in self.detectors])

    # -- one text ------------------------------------------------------------------------------
    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Validated (start, end, kind) spans, left to right, not overlapping."""
        if not text or not self.passes:
            return []
        data = b"\n" + text.encode("utf-8", "surrogatepass") + b"\n"  # "\n": start/end of text
        ascii = len(data) == len(text) + 2
        spans = self._find(data, ascii)
        if ascii:  # byte offsets are character offsets
            return [(start - 1, end - 1, kind) for start, end, kind in spans]
        out, last_byte, last_char = [], 1, 0
        for start, end, kind in spans:  # left to right: one pass over the bytes in all
            cs = last_char + len(data[last_byte:start].translate(None, _CONTINUATION))
            ce = cs + len(data[start:end].translate(None, _CONTINUATION))
            out.append((cs, ce, kind))
            last_byte, last_char = end, ce
        return out

    def _find(self, data: bytes, ascii: bool) -> list[tuple[int, int, str]]:
        passes = self.passes
        searches = [ps.search_ascii if ascii else ps.search_unicode for ps in passes]
        # An empty answer runs every detector: it is what a text no prefilter matches gets (no
        # harm: nothing will match), and what RE2::Set answers if its automaton ever fails
        # (it has no other way to say so): never a reason to skip a detector.
        present = (self.which_ascii if ascii else self.which_unicode).Match(data) or range(len(self.detectors))
        # per pass: its leftmost match at >= pos; False: none left (or its detector's prefilter
        # does not match this text at all)
        pending: list[Any] = [None if j in present else False for j in self.pass_detector]
        spans: list[tuple[int, int, str]] = []
        pos, size = 1, len(data)
        budget = candidate_budget(size)
        while True:
            best, best_start = -1, size
            for i, found in enumerate(pending):
                if found is False:
                    continue
                if found is None or found[0] < pos:  # the scan moved past it: search again from pos
                    # From pos - 1: the context character before a match at pos is data[pos - 1].
                    groups = searches[i](data, pos - 1, size)
                    if groups[0][0] < 0:
                        pending[i] = False
                        continue
                    for g in passes[i].cores:  # the alternative that matched has its group set
                        start, end = groups[g]
                        if start >= 0:
                            break
                    else:
                        raise AssertionError("a match always has its core group")
                    found = pending[i] = (start, end, groups)
                if found[0] < best_start:  # ties: the earlier pass (detector order) wins
                    best, best_start = i, found[0]
            if best < 0:
                return spans
            first = pending[best]
            budget -= 1
            if budget < 0:
                # Fail closed: the rest of the cell was not read, so it counts as PII of the kind
                # whose candidates exhausted the budget and is redacted whole.
                spans.append((first[0], size - 1, passes[best].kind))
                return spans
            winner = best if passes[best].valid(data, first) else -1
            if winner < 0:  # the first candidate failed validation: others may still match here
                winner = self._other_valid(data, pending, best, best_start)
            if winner < 0:
                # Skip the whole rejected candidate: the tail of an order number that fails Luhn
                # must not come back as a "phone number".
                pos = first[1]
                continue
            start, end, _ = pending[winner]
            spans.append((start, end, passes[winner].kind))
            pos = end

    def _other_valid(self, data: bytes, pending: list[Any], best: int, best_start: int) -> int:
        """A later pass of another kind whose candidate starts where the rejected one did and
        validates; -1 when none does."""
        passes = self.passes
        for i in range(best + 1, len(passes)):
            found = pending[i]
            if (
                found
                and found[0] == best_start
                and passes[i].kind != passes[best].kind
                and passes[i].valid(data, found)
            ):
                return i
        return -1

    def redact(self, text: str, spans: list[tuple[int, int, str]]) -> str:
        out, last = [], 0
        for start, end, kind in spans:
            out.append(text[last:start])
            out.append(redaction(kind))
            last = end
        out.append(text[last:])
        return "".join(out)

    # -- a column ------------------------------------------------------------------------------
    def candidates(self, texts: Sequence[str | None]) -> np.ndarray:
        """Rows the RE2 prefilter cannot rule out (pyarrow.compute: one pass, C speed)."""

        if not self.kinds:
            return np.zeros(len(texts), dtype=bool)
        try:
            arr = pa.array(texts, type=pa.large_string(), from_pandas=True)
        except UnicodeEncodeError:  # lone surrogates (from JSON "\ud800" escapes): not UTF-8
            arr = pa.array([_utf8(t) for t in texts], type=pa.large_string(), from_pandas=True)
        hit = pc.match_substring_regex(arr, self.prefilter)
        return hit.fill_null(False).to_numpy(zero_copy_only=False)

    def scan(self, texts: Iterable[str | None]) -> ScanResult:
        """`texts`: a pandas Series (or list) of str/None."""
        values = list(texts) if not hasattr(texts, "tolist") else texts.tolist()
        hits = np.zeros((len(values), len(self.kinds)), dtype=bool)
        redacted: dict[int, str] = {}
        col = {k: i for i, k in enumerate(self.kinds)}
        for row in np.flatnonzero(self.candidates(values)):
            text = values[row]
            if text is None:  # never a candidate (a null row matches no prefilter): for the type checker
                continue
            spans = self.find(text)
            if spans:
                for _, _, kind in spans:
                    hits[row, col[kind]] = True
                redacted[int(row)] = self.redact(text, spans)
        return ScanResult(self.kinds, hits, redacted)


def _prefilter_set(patterns: list[str]) -> Any:  # an re2.Set (the binding is untyped)

    which = re2.Set.SearchSet()
    for pattern in patterns:
        which.Add(pattern)
    which.Compile()
    return which


def _utf8(text: str | None) -> str | None:
    """`text` with lone surrogates replaced, for the prefilter only (a surrogate is no word
    character, and neither is U+FFFD: the prefilter's decisions are unchanged)."""
    if isinstance(text, str):
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text
