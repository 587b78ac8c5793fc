"""Shared rules for pre-aggregated inputs (sufficient statistics in place of rows)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from airflow_evalguard.columns.validation import require_rows
from airflow_evalguard.exceptions import EvalGuardInputError

COUNT = "count"


def which_form(given: set[str], rows: tuple[str, ...], aggregated: tuple[str, ...]) -> str:
    """'rows', or the one aggregated input given; an error unless exactly one form is given."""
    present = {name for name in (*rows, *aggregated) if name in given}
    if present == set(rows):
        return "rows"
    if len(present) == 1 and present <= set(aggregated):
        return present.pop()
    alternatives = " or ".join(f"input {a!r}" for a in aggregated)
    raise EvalGuardInputError(
        f"give either input(s) {' and '.join(repr(r) for r in rows)} (rows) or {alternatives} "
        f"(pre-aggregated), not {sorted(present)}"
    )


def one_form(given: set[str], rows: tuple[str, ...], aggregated: str) -> bool:
    """True when the aggregated input is used; an error unless exactly one form is given."""
    return which_form(given, rows, (aggregated,)) != "rows"


def whole_counts(values: pd.Series, input_name: str, column: str = COUNT) -> np.ndarray:
    """Counts of rows: non-negative whole numbers (resampling and exact tests treat them as counts)."""
    counts = pd.to_numeric(values, errors="coerce")
    require_rows(
        values,
        counts.isna() | (counts < 0) | (counts.fillna(0) % 1 != 0),
        input_name=input_name,
        column=column,
        requirement="must be a non-negative whole number",
    )
    whole: np.ndarray = counts.to_numpy(dtype=float)
    return whole
