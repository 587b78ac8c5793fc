"""Reading judge outputs: numeric scores, pairwise winners in {1, 2, tie}, and parse failures."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.columns.values import map_unique
from airflow_evalguard.exceptions import EvalGuardInputError

WINNERS = ("1", "2", "tie")
# A pairwise winner as a signed preference: answer 1 (+1), answer 2 (-1), tie (0).
WINNER_SIGN = {"1": 1.0, "2": -1.0, "tie": 0.0}


def _winner_key(value: Any) -> str | None:
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
            f"({int(bad.sum())} rows)",
            input_name=input_name,
            column=column,
        )
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
            input_name=input_name,
            column=column,
        )
    return out.astype(float)


def _flagged(value: Any) -> bool:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return False
    return str(value).strip().lower() not in ("", "0", "false", "no", "none", "nan")


def parse_error_flags(df: pd.DataFrame) -> np.ndarray:
    """Rows the judge flagged as unparseable (a truthy `parse_error` column), else all False."""
    if "parse_error" not in df.columns:
        return np.zeros(len(df), dtype=bool)
    flags: np.ndarray = df["parse_error"].map(_flagged).to_numpy(dtype=bool)
    return flags


def judge_outputs(df: pd.DataFrame, name: str, score_type: str, column: str) -> pd.Series:
    """The judge's verdicts in `column`: winners (pairwise) or numbers, missing where it failed to parse."""
    if score_type == "pairwise":
        out = winners(df[column], input_name=name, column=column)
    else:
        out = numeric_scores(df[column], input_name=name, column=column)
    flagged = parse_error_flags(df)
    if flagged.any():
        out = out.astype(object).copy() if score_type == "pairwise" else out.copy()
        out[flagged] = None if score_type == "pairwise" else np.nan
    return out


def _sign(winner: Any) -> float:
    return WINNER_SIGN.get(winner, np.nan) if winner is not None else np.nan


def anchor_values(series: pd.Series, score_type: str, *, input_name: str, column: str) -> np.ndarray:
    """Anchor scores as numbers: pairwise winners as signed preferences (+1, -1, 0), NaN = no verdict."""
    if score_type == "pairwise":
        signs: np.ndarray = (
            winners(series, input_name=input_name, column=column).map(_sign).to_numpy(dtype=float, copy=True)
        )
        return signs
    scores: np.ndarray = numeric_scores(series, input_name=input_name, column=column).to_numpy(dtype=float, copy=True)
    return scores
