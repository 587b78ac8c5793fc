"""An object column that parquet can store, whatever a producer put in it.

JSON lines and DataFrames can mix numbers and strings, or objects of different shapes, in one
column. Arrow cannot type such a column, so writing the table (and the task with it) would fail
on every retry. Such a column is written as text instead; a column Arrow can type is kept as it is.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pyarrow as pa


def writable(column: pd.Series) -> pd.Series:
    """`column` as it is when Arrow can type it, else each cell as text (missing stays missing)."""

    try:
        pa.array(column, from_pandas=True)
        return column
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return pd.Series([as_text(value) for value in column.tolist()], index=column.index, dtype=object)


def as_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:  # NaN != NaN
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "backslashreplace")
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)
