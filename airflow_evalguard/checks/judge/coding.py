"""Reading judge outputs: numeric scores, pairwise winners in {1, 2, tie}, and parse failures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from airflow_evalguard.columns.values import map_unique
from airflow_evalguard.exceptions import EvalGuardInputError

WINNERS = ("1", "2", "tie")
# A pairwise winner as a signed preference: answer 1 (+1), answer 2 (-1), tie (0).
WINNER_SIGN = {"1": 1.0, "2": -1.0, "tie": 0.0}


def _winner_key(value) -> str | None:
    text = str(value).strip().lower()
    if text.endswith(".0"):
        text = text[:-2]
    return text if text in WINNERS else "?"


def winners(values: pd.Series, *, input_name: str, column: str) -> pd.Series:
    """'1' | '2' | 'tie' per row, missing where the judge gave no verdict; anything else is an error."""
    keys = map_unique(values, _winner_key).astype(object)
    bad = keys == "?"
    if bad.any():
        shown = sorted({str(v) for v in values[bad]})[:10]
        raise EvalGuardInputError(
            f"input '{input_name}': column '{column}' holds pairwise winners outside {{1, 2, tie}}: {shown} "
            f"({int(bad.sum())} rows)", input_name=input_name, column=column)
    return keys.where(keys.notna(), None)


def numeric_scores(values: pd.Series, *, input_name: str, column: str) -> pd.Series:
    """Numbers; blanks and NaN are parse failures (kept as NaN), other text is an input error."""
    out = pd.to_numeric(values, errors="coerce")
    text = values.astype(object)
    blank = text.isna() | text.map(lambda v: isinstance(v, str) and v.strip() == "")
    bad = out.isna() & ~blank
    if bad.any():
        shown = sorted({str(v) for v in values[bad]})[:10]
        raise EvalGuardInputError(
            f"input '{input_name}': column '{column}' must hold numbers (blank = the judge produced none); got {shown}",
            input_name=input_name, column=column)
    return out.astype(float)


def parse_error_flags(df: pd.DataFrame) -> np.ndarray:
    """Rows the judge flagged as unparseable (a truthy `parse_error` column), else all False."""
    if "parse_error" not in df.columns:
        return np.zeros(len(df), dtype=bool)
    col = df["parse_error"]
    flags = col.map(lambda v: False if v is None or (isinstance(v, float) and np.isnan(v))
                    else str(v).strip().lower() not in ("", "0", "false", "no", "none", "nan"))
    return flags.to_numpy(dtype=bool)
