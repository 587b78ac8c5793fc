"""rubric_drift's inputs -> one table of per-item sums, from rows or pre-aggregated sums.

Both forms end as the same sufficient statistics: per criterion, item, period and rater type the
ratings' count, sum (for the mean the decomposition needs), min and max (for the scale check).
"""

from __future__ import annotations

import pandas as pd

from airflow_evalguard.checks.common.aggregates import which_form, whole_counts
from airflow_evalguard.checks.common.ratings import read_required, require_present
from airflow_evalguard.columns.offending import offending_values
from airflow_evalguard.columns.validation import require_rows
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput

COLUMNS = ["item_id", "criterion", "rater_type", "rater_id", "score", "period"]
RATER_TYPES = ("human", "judge")
KEYS = ["criterion", "item_id", "period", "rater_type"]
SUM_COLUMNS = ["count", "sum", "min", "max"]


def read(tables: dict[str, TableInput], id_column: str = "item_id") -> tuple[pd.DataFrame, int]:
    """(per-item sums grouped by KEYS, number of ratings without a score) from whichever form is
    given; items are read from `id_column` (param id_column)."""
    if which_form(set(tables), ("ratings",), ("item_sums",)) == "rows":
        rows, missing = read_rows(tables["ratings"], id_column)
        return sums_from_rows(rows), missing
    return read_sums(tables["item_sums"], id_column)


def rater_types(values: pd.Series, input_name: str) -> pd.Series:
    kind = values.astype(str).str.strip().str.lower()
    bad = ~kind.isin(RATER_TYPES)
    if bad.any():
        raise EvalGuardInputError(
            f"input '{input_name}': column 'rater_type' must be 'human' or 'judge'; found "
            f"{offending_values(values[bad])}",
            input_name=input_name,
            column="rater_type",
        )
    return kind


def read_rows(table: TableInput, id_column: str = "item_id") -> tuple[pd.DataFrame, int]:
    """The ratings with a score, and how many had none."""
    df = read_required(table, COLUMNS, id_column=("item_id", id_column))
    for col in ("item_id", "criterion", "rater_type", "period"):
        require_present(df, col, "ratings", col)
    kind = rater_types(df["rater_type"], "ratings")
    score = pd.to_numeric(df["score"], errors="coerce")
    nonnumeric = score.isna() & df["score"].notna()
    if nonnumeric.any():
        raise EvalGuardInputError(
            f"input 'ratings': column 'score' must hold numbers; got {offending_values(df.loc[nonnumeric, 'score'])}",
            input_name="ratings",
            column="score",
        )
    out = pd.DataFrame(
        {
            "item_id": df["item_id"].astype(str),
            "criterion": df["criterion"].astype(str),
            "rater_type": kind,
            "period": df["period"].astype(str),
            "score": score.astype(float),
        }
    )
    missing = int(out["score"].isna().sum())
    return out.dropna(subset=["score"]), missing


def sums_from_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The sufficient statistics of rows: count, sum, min and max per KEYS."""
    return df.groupby(KEYS, sort=True)["score"].agg(["count", "sum", "min", "max"]).reset_index()


def read_sums(table: TableInput, id_column: str = "item_id") -> tuple[pd.DataFrame, int]:
    """Pre-aggregated sums, validated; shards that repeat a key are added up."""
    df = read_required(table, [*KEYS, *SUM_COLUMNS], optional=("missing",), id_column=("item_id", id_column))
    for col in KEYS:
        require_present(df, col, "item_sums", col)
    kind = rater_types(df["rater_type"], "item_sums")
    out = pd.DataFrame(
        {
            "criterion": df["criterion"].astype(str),
            "item_id": df["item_id"].astype(str),
            "period": df["period"].astype(str),
            "rater_type": kind,
            "count": whole_counts(df["count"], "item_sums"),
        }
    )
    for col in ("sum", "min", "max"):
        values = pd.to_numeric(df[col], errors="coerce")
        require_rows(
            df[col],
            values.isna() & (out["count"] > 0),
            input_name="item_sums",
            column=col,
            requirement="must be a number where count > 0",
        )
        out[col] = values.astype(float)
    missing = int(whole_counts(df["missing"], "item_sums", "missing").sum()) if "missing" in df.columns else 0
    out = out[out["count"] > 0]
    grouped = (
        out.groupby(KEYS, sort=True)
        .agg(count=("count", "sum"), sum=("sum", "sum"), min=("min", "min"), max=("max", "max"))
        .reset_index()
    )
    return grouped, missing
