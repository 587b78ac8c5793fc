"""judge_drift's inputs -> frames: judge scores (rows) or their per-snapshot counts, anchors, the dual
window and human labels. `scores` and `score_counts` are the two forms of the same input: the rows,
or the GROUP BY judge_model a warehouse returns (pin and parse failures only)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.aggregates import whole_counts
from airflow_evalguard.checks.common.ratings import read_required, require_present
from airflow_evalguard.checks.judge_drift.coding import (
    anchor_values,
    judge_outputs,
    numeric_scores,
    parse_error_flags,
    winners,
)
from airflow_evalguard.columns.offending import offending_values
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput


def failed(series: pd.Series) -> int:
    """Judgments without a usable verdict."""
    return int(pd.isna(series).sum())


def scores(table: TableInput, score_type: str, id_column: str = "item_id") -> pd.DataFrame:
    """item_id, judge_model, judge (NaN/None = parse failure), swapped (pairwise judged in both orders)."""
    pairwise = score_type == "pairwise"
    col = "winner" if pairwise else "score"
    if col not in table.columns():
        raise EvalGuardInputError(
            f"input 'scores': score_type '{score_type}' needs a '{col}' column; found {table.columns()}",
            input_name="scores",
            column=col,
        )
    df = read_required(
        table,
        ["item_id", "judge_model", col],
        optional=("winner_swapped", "parse_error"),
        id_column=("item_id", id_column),
    )
    require_present(df, "item_id", "scores", "item id")
    require_present(df, "judge_model", "scores", "judge snapshot id")
    out = pd.DataFrame(
        {"item_id": df["item_id"].astype(str).to_numpy(), "judge_model": df["judge_model"].astype(str).to_numpy()}
    )
    out["judge"] = judge_outputs(df, "scores", score_type, col).to_numpy()
    if pairwise and "winner_swapped" in df.columns:
        out["swapped"] = winners(df["winner_swapped"], input_name="scores", column="winner_swapped").to_numpy()
    return out


def score_failures(frame: pd.DataFrame) -> tuple[int, int]:
    """(failed judgments, judgments): a pairwise record judged in both orders is two judgments."""
    both = "swapped" in frame
    return failed(frame["judge"]) + (failed(frame["swapped"]) if both else 0), len(frame) * (2 if both else 1)


def score_counts(table: TableInput) -> pd.DataFrame:
    """judge_model, count (scores), failed (judgments without a usable verdict), judgments (default:
    count; twice the count for pairwise records judged in both orders)."""
    df = read_required(table, ["judge_model", "count", "failed"], optional=("judgments",))
    require_present(df, "judge_model", "score_counts", "judge snapshot id")
    out = pd.DataFrame(
        {
            "judge_model": df["judge_model"].astype(str).to_numpy(),
            "count": whole_counts(df["count"], "score_counts"),
            "failed": whole_counts(df["failed"], "score_counts", "failed"),
        }
    )
    out["judgments"] = (
        whole_counts(df["judgments"], "score_counts", "judgments") if "judgments" in df.columns else out["count"]
    )
    if (out["failed"] > out["judgments"]).any():
        raise EvalGuardInputError(
            "input 'score_counts': more failed judgments than judgments in some row",
            input_name="score_counts",
            column="failed",
        )
    return out


def count_failures(counts: pd.DataFrame) -> tuple[int, int]:
    return int(counts["failed"].sum()), int(counts["judgments"].sum())


@dataclass(frozen=True)
class Anchors:
    item_id: np.ndarray  # str
    reference: np.ndarray  # the pinned snapshot's scores (pairwise: +1/-1/0)
    current: np.ndarray  # the judge's scores now; NaN = parse failure


def anchors(table: TableInput, score_type: str, id_column: str = "item_id") -> Anchors:
    df = read_required(
        table, ["item_id", "reference_score", "score"], optional=("parse_error",), id_column=("item_id", id_column)
    )
    reference = anchor_values(df["reference_score"], score_type, input_name="anchors", column="reference_score")
    if np.isnan(reference).any():
        raise EvalGuardInputError(
            f"input 'anchors': column 'reference_score' is missing in {int(np.isnan(reference).sum())} row(s); the "
            "pinned snapshot's reference scores must be complete",
            input_name="anchors",
            column="reference_score",
        )
    current = anchor_values(df["score"], score_type, input_name="anchors", column="score")
    current[parse_error_flags(df)] = np.nan
    if (~np.isnan(current)).sum() < 2:
        raise EvalGuardInputError(
            "input 'anchors': fewer than two anchors re-scored; the shift needs pairs",
            input_name="anchors",
            column="score",
        )
    return Anchors(df["item_id"].astype(str).to_numpy(), reference, current)


def dual(table: TableInput, score_type: str, id_column: str = "item_id") -> pd.DataFrame:
    """item_id, system (baseline|candidate), judge_model, score (NaN = parse failure)."""
    df = read_required(
        table,
        ["item_id", "system", "judge_model", "score"],
        optional=("parse_error",),
        id_column=("item_id", id_column),
    )
    for col, what in (("item_id", "item id"), ("system", "baseline|candidate"), ("judge_model", "judge snapshot id")):
        require_present(df, col, "dual", what)
    bad = ~df["system"].astype(str).isin(["baseline", "candidate"])
    if bad.any():
        raise EvalGuardInputError(
            f"input 'dual': column 'system' must be 'baseline' or 'candidate'; found "
            f"{offending_values(df.loc[bad, 'system'])}",
            input_name="dual",
            column="system",
        )
    if score_type == "pairwise":
        raise EvalGuardInputError(
            "input 'dual' needs numeric scores; score_type 'pairwise' has none", input_name="dual", column="score"
        )
    return pd.DataFrame(
        {
            "item_id": df["item_id"].astype(str),
            "system": df["system"].astype(str),
            "judge_model": df["judge_model"].astype(str),
            "score": judge_outputs(df, "dual", score_type, "score"),
        }
    )


def human(table: TableInput, judged: pd.DataFrame | None, score_type: str, id_column: str = "item_id") -> pd.DataFrame:
    """item_id, human: compared item by item with the judge's `scores` rows, so those must be given."""
    if judged is None:
        raise EvalGuardInputError(
            "input 'human' is compared item by item with the judge's 'scores'; give "
            "'scores' (rows: 'score_counts' cannot be joined to items)",
            input_name="human",
        )
    col = "human_winner" if score_type == "pairwise" else "human_score"
    if col not in table.columns():
        raise EvalGuardInputError(
            f"input 'human': score_type '{score_type}' needs a '{col}' column", input_name="human", column=col
        )
    df = read_required(table, ["item_id", col], id_column=("item_id", id_column))
    require_present(df, "item_id", "human", "item id")
    require_present(df, col, "human", "human label")
    labels = (
        winners(df[col], input_name="human", column=col)
        if score_type == "pairwise"
        else numeric_scores(df[col], input_name="human", column=col)
    )
    return pd.DataFrame({"item_id": df["item_id"].astype(str), "human": labels.to_numpy()})
