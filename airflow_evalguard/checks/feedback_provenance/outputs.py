"""The two outputs, accepted and quarantine: together they partition the input rows.

Quarantined rows keep their original content (with pii_action="redact", redacted like the
accepted ones) and the reasons they were rejected. Each table keeps the input's columns and
dtypes, and holds nothing of the other's rows: no categories, no attrs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from airflow_evalguard.checks.feedback_provenance import rules as rules_of
from airflow_evalguard.checks.feedback_provenance.read import RAW_BYTES, REASONS, ROW
from airflow_evalguard.checks.feedback_provenance.scan import ColumnScan, Mask
from airflow_evalguard.columns.writable import writable


def reasons(rules: dict[str, Mask], rows: int) -> npt.NDArray[np.object_]:
    """Per row, the names of the rules it breaks joined by ';' (empty for accepted rows)."""
    out = np.array([""] * rows, dtype=object)
    for name, mask in rules.items():
        index = np.flatnonzero(mask)
        out[index] = [f"{reason};{name}" if reason else name for reason in out[index]]
    return out


def split(
    frame: pd.DataFrame,
    text: pd.Series,
    not_utf8: Mask,
    scans: dict[Any, ColumnScan],
    rules: dict[str, Mask],
    params: dict[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accepted, quarantine): the rows breaking no rule and the others, with their reasons."""
    text_column = params["text_column"]
    rejected = rules_of.rejected(rules, len(frame))
    base = frame.copy()
    base.attrs = {}
    # bytes only come as objects
    cells = frame[text_column].tolist() if frame[text_column].dtype == object else None
    binary = cells is not None and _all_bytes(cells)
    raw: list[Any] | None = None
    if not binary:
        base[text_column] = text  # bytes cells decoded (with U+FFFD where invalid); str cells untouched
        if cells is not None and not_utf8.any():  # keep the undecodable bytes exactly as they came
            raw = [bytes(value) if bad else None for value, bad in zip(cells, not_utf8, strict=True)]
    if params["pii_action"] == "redact":
        _redact(base, scans, text_column, binary, raw)
    if raw is not None:
        base[RAW_BYTES] = raw
    base.insert(0, ROW, np.arange(len(frame)))
    accepted = base.loc[~rejected].drop(columns=[RAW_BYTES], errors="ignore")
    quarantine = base.loc[rejected].copy()
    quarantine[REASONS] = reasons(rules, len(frame))[rejected]
    return own_values(accepted, frame), own_values(quarantine, frame)


def _redact(
    base: pd.DataFrame, scans: dict[Any, ColumnScan], text_column: Any, binary: bool, raw: list[Any] | None
) -> None:
    """Every hit cell of `base` replaced by its redaction (in place); undecodable text bytes too."""
    for column, found in scans.items():
        if not found.redacted:
            continue
        rows = list(found.redacted)
        values = [found.redacted[row] for row in rows]
        if column == text_column and not binary:
            if raw is not None:
                for row, value in zip(rows, values, strict=True):
                    if raw[row] is not None:
                        raw[row] = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
            values = [_as_text(value) for value in values]
        base[column] = _with_cells(base[column], rows, values)


def _all_bytes(cells: list[Any]) -> bool:
    """A text column of bytes only (a parquet binary column): the outputs keep it binary."""
    seen = False
    for value in cells:
        if isinstance(value, (bytes, bytearray)):
            seen = True
        elif value is not None and not (isinstance(value, float) and value != value) and value is not pd.NA:
            return False
    return seen


def _as_text(value: Any) -> Any:
    """A redacted text-column cell as the str the accepted text column holds."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return value


def _with_cells(column: pd.Series, rows: list[int], values: list[Any]) -> pd.Series:
    """`column` with `rows` set to `values`; categoricals (and Arrow dictionaries) as plain
    values here, rebuilt per output table by own_values."""
    if isinstance(column.dtype, pd.CategoricalDtype) or (
        isinstance(column.dtype, pd.ArrowDtype) and _is_arrow_dictionary(column.dtype)
    ):
        column = column.astype(object)
    column = column.copy()
    column.iloc[rows] = values
    return column


def own_values(table: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """`table` with every categorical rebuilt from its own values: a categorical cut from the
    input keeps the input's whole category list (every value of every row, rejected ones
    included), and parquet writes that list as the column's dictionary and its size in the
    pandas metadata. The input's category order is kept for the values that remain."""
    table = table.reset_index(drop=True)
    for column in like.columns:
        dtype = like[column].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            values = table[column].astype(object)
            present = set(values.dropna())
            categories = [category for category in dtype.categories if category in present]
            categories += sorted(present.difference(categories), key=str)  # redactions
            table[column] = pd.Categorical(values, categories=categories, ordered=dtype.ordered)
        elif isinstance(dtype, pd.ArrowDtype) and _is_arrow_dictionary(dtype):
            plain = pa.array(table[column].astype(object).tolist(), type=dtype.pyarrow_dtype.value_type)
            encoded = plain.dictionary_encode().cast(dtype.pyarrow_dtype)
            table[column] = pd.Series(pd.arrays.ArrowExtensionArray(encoded))
        elif pd.api.types.is_object_dtype(dtype):
            table[column] = writable(table[column])
    table.attrs = {}
    return table


def _is_arrow_dictionary(dtype: pd.ArrowDtype) -> bool:
    return bool(pa.types.is_dictionary(dtype.pyarrow_dtype))
