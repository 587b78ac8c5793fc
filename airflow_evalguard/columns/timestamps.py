"""Timestamps -> local hour of day, with clear errors naming the rows that do not parse."""

from __future__ import annotations

import numpy as np
import pandas as pd

from airflow_evalguard.exceptions import EvalGuardInputError


def _bad_rows(original: pd.Series, parsed: pd.Series, limit: int = 5) -> str:
    bad = original[parsed.isna()].head(limit)
    return ", ".join(f"row {idx}: {'missing' if pd.isna(val) else repr(val)}" for idx, val in bad.items())


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
        except (ValueError, TypeError) as exc:
            # pandas refuses a column mixing zone-aware and naive strings.
            raise EvalGuardInputError(
                f"input '{input_name}': column '{column}' mixes timestamps with and without a time zone "
                f"({exc}); give every timestamp an offset, or none",
                input_name=input_name,
                column=column,
            ) from exc
        if parsed.dtype == object:
            raise EvalGuardInputError(
                f"input '{input_name}': column '{column}' mixes time zones or formats that do not parse "
                f"to one type; e.g. {_bad_rows(values, pd.Series(pd.NaT, index=values.index))}",
                input_name=input_name,
                column=column,
            )
    if parsed.isna().any():
        n_bad = int(parsed.isna().sum())
        raise EvalGuardInputError(
            f"input '{input_name}': column '{column}' has {n_bad} missing or unparseable timestamp(s): "
            f"{_bad_rows(values, parsed)}",
            input_name=input_name,
            column=column,
        )
    return parsed


def local_hour(values: pd.Series, timezone: str, *, input_name: str, column: str) -> np.ndarray:
    """Hour of day (0-23) in `timezone`. Naive timestamps are taken as local time there already."""
    parsed = to_datetime(values, input_name=input_name, column=column)
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_convert(timezone)
    return parsed.dt.hour.to_numpy(dtype=np.int64)


def validate_timezone(timezone: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise EvalGuardInputError(f"param 'timezone': unknown time zone {timezone!r}") from exc
