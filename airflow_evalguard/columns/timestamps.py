"""Timestamps -> local hour of day, with clear errors naming the rows that do not parse."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from airflow_evalguard.columns.validation import describe_rows, require_rows
from airflow_evalguard.exceptions import EvalGuardInputError

_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"


def to_datetime(values: pd.Series, *, input_name: str, column: str) -> pd.Series:
    """Parse a timestamp column. Numbers are Unix epoch seconds; strings are ISO 8601 or similar.

    Missing or unparseable values are an error naming a few rows: a row without a time cannot be
    placed in the day, and dropping it silently would bias the mix being checked.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(values.dtype):
        parsed = values
    elif pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        parsed = pd.to_datetime(values, unit="s", utc=True, errors="coerce")
    else:
        try:
            parsed = pd.to_datetime(values, errors="coerce", format="mixed")
        except ValueError:
            # Offsets differ between rows (e.g. across a DST change): fine when every timestamp
            # carries one; ambiguous when some are naive (local) and some are not.
            text = values.astype("string")
            naive = text.notna() & ~text.str.strip().str.contains(_OFFSET, regex=True, na=False)
            if naive.any():
                raise EvalGuardInputError(
                    f"input '{input_name}': column '{column}' mixes timestamps with and without a UTC offset; "
                    f"give every timestamp an offset, or none; without one: {describe_rows(values[naive])}",
                    input_name=input_name,
                    column=column,
                ) from None
            parsed = pd.to_datetime(values, errors="coerce", format="mixed", utc=True)
        if parsed.dtype == object:
            raise EvalGuardInputError(
                f"input '{input_name}': column '{column}' mixes time zones or formats that do not parse "
                f"to one type; e.g. {describe_rows(values)}",
                input_name=input_name,
                column=column,
            )
    require_rows(
        values, parsed.isna(), input_name=input_name, column=column, requirement="has missing or unparseable timestamps"
    )
    return parsed


def local_hour(values: pd.Series, timezone: str, *, input_name: str, column: str) -> np.ndarray:
    """Hour of day (0-23) in `timezone`. Naive timestamps are taken as local time there already."""
    parsed = to_datetime(values, input_name=input_name, column=column)
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_convert(timezone)
    return parsed.dt.hour.to_numpy(dtype=np.int64)


def validate_timezone(timezone: str) -> None:

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise EvalGuardInputError(f"param 'timezone': unknown time zone {timezone!r}") from exc
