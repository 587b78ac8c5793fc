"""One way to report bad rows: the input, the column, how many, and the first few by row label."""

from __future__ import annotations

import pandas as pd

from airflow_evalguard.exceptions import EvalGuardInputError


def describe_rows(values: pd.Series, limit: int = 5) -> str:
    return ", ".join(
        f"row {idx}: {'missing' if pd.isna(val) else repr(val)}" for idx, val in values.head(limit).items()
    )


def require_rows(values: pd.Series, bad: pd.Series, *, input_name: str, column: str, requirement: str) -> None:
    """Raise EvalGuardInputError naming the offending rows when any of `bad` is true."""
    if bad.any():
        raise EvalGuardInputError(
            f"input '{input_name}': column '{column}' {requirement}; {int(bad.sum())} bad row(s): "
            f"{describe_rows(values[bad])}",
            input_name=input_name,
            column=column,
        )
