"""PII in the scanned columns: which rows hold which kinds, and each hit cell redacted in its own type.

A cell is read as text for the scanner (`cell_text`): bytes decoded with surrogate escapes (so a
redaction can be encoded back byte for byte), JSON objects and lists flattened to their keys and
leaves. With pii_action="redact" a hit cell is replaced by its redaction in the cell's own type;
a cell that cannot be redacted in place (a number, or a JSON object whose PII spans its leaves)
is `unredactable`: its row is quarantined and the cell emptied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from airflow_evalguard.pii.scanner import PiiScanner

Mask = npt.NDArray[np.bool_]
NESTED = (dict, list, tuple, set, np.ndarray)
BINARY = (bytes, bytearray, memoryview)


@dataclass(frozen=True)
class ColumnScan:
    """PII in one column: hits per row and kind; for every row with a hit, the redacted cell in
    the cell's own type, or None where the cell cannot be redacted in place (`unredactable`)."""

    hits: Mask  # (rows, kinds)
    redacted: dict[int, Any]
    unredactable: Mask


def cell_text(value: Any) -> str | None:
    """The text of one cell for the scanner: bytes decoded (undecodable bytes kept as surrogate
    escapes, so a redaction can be encoded back byte for byte), nested values (JSON objects,
    lists) flattened to their keys and leaves, other scalars as str()."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, BINARY):
        return bytes(value).decode("utf-8", "surrogateescape")
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return "\n".join(cell_text(part) or "" for item in value.items() for part in item)
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return "\n".join(cell_text(part) or "" for part in value)
    return str(value)


def scan_all(scanner: PiiScanner, frame: pd.DataFrame, columns: list[Any], text_column: Any) -> dict[Any, ColumnScan]:
    """Every scanned column's PII; the free text row by row, the other columns by distinct value."""
    return {column: scan_column(scanner, frame[column], dedupe=column != text_column) for column in columns}


def scan_column(scanner: PiiScanner, series: pd.Series, dedupe: bool = True) -> ColumnScan:
    codes, uniques = _distinct(series, dedupe)
    result = scanner.scan(uniques)
    hits = np.zeros((len(series), len(scanner.kinds)), dtype=bool)
    known = codes >= 0
    hits[known] = result.hits[codes[known]]
    redacted: dict[int, Any] = {}
    unredactable = np.zeros(len(series), dtype=bool)
    rows = np.flatnonzero(hits.any(axis=1))
    values = series.iloc[rows].tolist() if len(rows) else []
    for row, value in zip(rows, values, strict=True):
        cell = _redacted_like(value, result.redacted[int(codes[row])], scanner)
        unredactable[row] = cell is None
        redacted[int(row)] = cell  # None: nulled in the outputs with pii_action="redact"
    return ColumnScan(hits, redacted, unredactable)


def _distinct(series: pd.Series, dedupe: bool) -> tuple[npt.NDArray[np.intp], list[Any]]:
    """(code per row, -1 for missing; the text of each distinct value). With `dedupe` the
    scanner reads each distinct value once (an author id or a surface repeats over many rows; a
    categorical is read through its categories); free text is read row by row."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(), [cell_text(value) for value in series.cat.categories.tolist()]
    strings = isinstance(series.dtype, pd.StringDtype)
    if not dedupe:
        values = series.tolist()
        texts = values if strings else [cell_text(value) for value in values]
        missing = series.isna().to_numpy()
        codes = np.where(missing, -1, np.arange(len(series)))
        return codes, [None if gone else text for text, gone in zip(texts, missing, strict=True)]
    try:
        codes, uniques = pd.factorize(series)
    except TypeError:  # unhashable cells (JSON objects, lists): by their text
        codes, uniques = pd.factorize(pd.Series([cell_text(value) for value in series.tolist()], dtype=object))
        return codes, list(uniques.tolist())
    uniques = uniques.tolist()
    return codes, uniques if strings else [cell_text(value) for value in uniques]


def _redacted_like(cell: Any, redacted: str, scanner: PiiScanner) -> Any:
    """The redacted text in the cell's own type (bytes for bytes; JSON objects and lists with
    each string redacted), or None for cells that cannot be redacted in place."""
    if isinstance(cell, str):
        return redacted
    if isinstance(cell, BINARY):
        return redacted.encode("utf-8", "surrogateescape")
    if isinstance(cell, NESTED):
        out = _redact_nested(cell, scanner)
        return out if not scanner.find(cell_text(out) or "") else None
    return None


def _redact_nested(value: Any, scanner: PiiScanner) -> Any:
    if isinstance(value, str):
        return scanner.redact(value, scanner.find(value))
    if isinstance(value, BINARY):
        text = bytes(value).decode("utf-8", "surrogateescape")
        return scanner.redact(text, scanner.find(text)).encode("utf-8", "surrogateescape")
    if isinstance(value, dict):
        return {_redact_nested(key, scanner): _redact_nested(item, scanner) for key, item in value.items()}
    if isinstance(value, NESTED):
        return [_redact_nested(item, scanner) for item in value]
    return value
