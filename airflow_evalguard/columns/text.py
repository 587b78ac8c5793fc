"""Text cells as they arrive: bytes from binary parquet columns, invalid UTF-8, megabyte cells.

Bytes are decoded as UTF-8; a cell that is not valid UTF-8 is decoded with U+FFFD replacements
and reported, never dropped and never allowed to crash a check halfway.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EVIDENCE_TEXT_CHARS = 500


def decode_text(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(series with bytes cells decoded, boolean mask of cells that were not valid UTF-8)."""
    if series.dtype != object:
        return series, np.zeros(len(series), dtype=bool)
    is_bytes = series.map(lambda v: isinstance(v, (bytes, bytearray))).to_numpy(dtype=bool)
    if not is_bytes.any():
        return series, np.zeros(len(series), dtype=bool)
    bad = np.zeros(len(series), dtype=bool)
    values = series.to_numpy(dtype=object).copy()
    for i in np.flatnonzero(is_bytes):
        try:
            values[i] = bytes(values[i]).decode("utf-8")
        except UnicodeDecodeError:
            values[i] = bytes(values[i]).decode("utf-8", errors="replace")
            bad[i] = True
    return pd.Series(values, index=series.index, name=series.name, dtype=object), bad


def decode_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Decode every bytes column; returns the frame and {column: invalid-UTF-8 mask} for columns with any."""
    bad: dict[str, np.ndarray] = {}
    out = frame
    for col in frame.columns:
        decoded, mask = decode_text(frame[col])
        if decoded is not frame[col]:
            if out is frame:
                out = frame.copy()
            out[col] = decoded
        if mask.any():
            bad[str(col)] = mask
    return out, bad


def printable(frame: pd.DataFrame, max_chars: int = EVIDENCE_TEXT_CHARS) -> pd.DataFrame:
    """Evidence-ready copy: mixed-type columns as text (parquet needs one type per column) and long
    text cut to `max_chars`, so a megabyte cell cannot bloat the evidence or the report."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
            out[col] = pd.Series([_cut(v, max_chars) for v in s.tolist()], index=s.index, dtype=object)
    return out


def _cut(value: object, max_chars: int) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = value.decode("utf-8", errors="replace") if isinstance(value, (bytes, bytearray)) else str(value)
    return text if len(text) <= max_chars else f"{text[:max_chars]}... [{len(text) - max_chars} more chars]"
