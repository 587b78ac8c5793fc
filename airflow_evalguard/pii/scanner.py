"""Find and redact PII in a column of text: one RE2 pass over the column, one Python pass per
candidate row.

The RE2 prefilter (pyarrow.compute, all detectors combined into one alternation) reads every
row once at C speed and rules most rows out. Rows it keeps get one `finditer` of the combined
precise pattern; each candidate is validated (Luhn, mod 97, octet ranges, ...) and, when a
candidate fails, the other detectors get a chance at the same position. Never one scan per
detector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.pii.detectors import DETECTORS, KINDS, Detector


def redaction(kind: str) -> str:
    return f"[REDACTED:{kind}]"


@dataclass
class ScanResult:
    kinds: tuple[str, ...]
    hits: np.ndarray  # (rows, kinds) bool: row has at least one validated match of kind
    redacted: dict[int, str]  # row -> redacted text, for rows with any hit

    def any_hit(self) -> np.ndarray:
        return self.hits.any(axis=1)

    def kinds_of(self, row: int) -> list[str]:
        return [k for k, hit in zip(self.kinds, self.hits[row]) if hit]


class PiiScanner:
    def __init__(self, kinds: list[str] | tuple[str, ...] = KINDS):
        unknown = sorted(set(kinds) - set(DETECTORS))
        if unknown:
            raise EvalGuardInputError(f"unknown PII detector(s) {unknown}; known: {list(KINDS)}")
        # Keep the canonical order: earlier detectors win a position (a secret before an e-mail,
        # an IBAN before a card), so the order is part of the behaviour, not the caller's choice.
        self.kinds = tuple(k for k in KINDS if k in set(kinds))
        self.detectors: list[Detector] = [DETECTORS[k] for k in self.kinds]
        self.combined = re.compile("|".join(f"(?P<{d.kind}>{d.pattern})" for d in self.detectors))
        self.single = {d.kind: re.compile(f"(?P<{d.kind}>{d.pattern})") for d in self.detectors}
        self.prefilter = "|".join(f"(?:{d.prefilter})" for d in self.detectors)

    # -- one text ------------------------------------------------------------------------------
    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Validated (start, end, kind) spans, left to right, not overlapping."""
        spans, pos = [], 0
        while self.kinds:
            m = self.combined.search(text, pos)
            if m is None:
                break
            found = self._validated_at(m, text)
            if found is None:
                # Skip the whole rejected candidate: the tail of an order number that fails Luhn
                # must not come back as a "phone number".
                pos = m.end() if m.end() > m.start() else m.start() + 1
                continue
            spans.append(found)
            pos = found[1]
        return spans

    def _validated_at(self, m: re.Match, text: str) -> tuple[int, int, str] | None:
        first = self._kind(m)
        if DETECTORS[first].validate(m, text):
            return m.start(), m.end(), first
        for d in self.detectors:  # the first branch failed validation: others may still match here
            if d.kind == first:
                continue
            alt = self.single[d.kind].match(text, m.start())
            if alt is not None and d.validate(alt, text):
                return alt.start(), alt.end(), d.kind
        return None

    def _kind(self, m: re.Match) -> str:
        for kind in self.kinds:
            if m.group(kind) is not None:
                return kind
        raise AssertionError("a combined match always has one detector group")

    def redact(self, text: str, spans: list[tuple[int, int, str]]) -> str:
        out, last = [], 0
        for start, end, kind in spans:
            out.append(text[last:start])
            out.append(redaction(kind))
            last = end
        out.append(text[last:])
        return "".join(out)

    # -- a column ------------------------------------------------------------------------------
    def candidates(self, texts) -> np.ndarray:
        """Rows the RE2 prefilter cannot rule out (pyarrow.compute: one pass, C speed)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not self.kinds:
            return np.zeros(len(texts), dtype=bool)
        arr = pa.array(texts, type=pa.large_string(), from_pandas=True)
        hit = pc.match_substring_regex(arr, self.prefilter)
        return hit.fill_null(False).to_numpy(zero_copy_only=False)

    def scan(self, texts) -> ScanResult:
        """`texts`: a pandas Series (or list) of str/None."""
        values = list(texts) if not hasattr(texts, "tolist") else texts.tolist()
        hits = np.zeros((len(values), len(self.kinds)), dtype=bool)
        redacted: dict[int, str] = {}
        col = {k: i for i, k in enumerate(self.kinds)}
        for row in np.flatnonzero(self.candidates(values)):
            text = values[row]
            spans = self.find(text)
            if spans:
                for _, _, kind in spans:
                    hits[row, col[kind]] = True
                redacted[int(row)] = self.redact(text, spans)
        return ScanResult(self.kinds, hits, redacted)
