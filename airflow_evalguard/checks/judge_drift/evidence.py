"""The rows behind judge_drift's findings: unpinned snapshots, parse failures, moved anchors."""

from __future__ import annotations

import numpy as np
import pandas as pd

from airflow_evalguard.checks.judge_drift.read import Anchors


def _unpinned(models: pd.Series, pinned: list[str] | None) -> pd.Series:
    return ~models.isin(set(pinned)) if pinned else pd.Series(False, index=models.index)


def from_counts(counts: pd.DataFrame, pinned: list[str] | None) -> pd.DataFrame:
    """Per judge snapshot: how many scores were unpinned or failed (items are not known from counts)."""
    per = counts.groupby("judge_model")[["count", "failed"]].sum().reset_index()
    unpinned = _unpinned(per["judge_model"], pinned)
    rows = per[unpinned | (per["failed"] > 0)]
    return pd.DataFrame(
        {
            "input": "score_counts",
            "item_id": None,
            "problem": np.where(unpinned[rows.index], "unpinned_snapshot", "parse_failure"),
            "detail": [
                f"{model}: {int(count):,} scores, {int(fails):,} failed"
                for model, count, fails in zip(rows["judge_model"], rows["count"], rows["failed"], strict=True)
            ],
        }
    )


def from_scores(scores: pd.DataFrame, pinned: list[str] | None) -> pd.DataFrame:
    """The judge outputs behind a finding: unpinned snapshots and parse failures."""
    unpinned = _unpinned(scores["judge_model"], pinned)
    failed = scores["judge"].isna()
    if "swapped" in scores:
        failed = failed | scores["swapped"].isna()
    rows = scores[unpinned | failed]
    problem = np.where(unpinned[rows.index], "unpinned_snapshot", "parse_failure")
    return pd.DataFrame(
        {
            "input": "scores",
            "item_id": rows["item_id"].to_numpy(),
            "problem": problem,
            "detail": rows["judge_model"].to_numpy(),
        }
    )


def from_anchors(anchors: Anchors) -> pd.DataFrame:
    """Anchors the judge now scores differently (or failed to score)."""
    reference, current = anchors.reference, anchors.current
    moved = reference != current
    return pd.DataFrame(
        {
            "input": "anchors",
            "item_id": anchors.item_id[moved],
            "problem": np.where(np.isnan(current[moved]), "parse_failure", "anchor_changed"),
            "detail": [f"{ref:g} -> {cur:g}" for ref, cur in zip(reference[moved], current[moved], strict=True)],
        }
    )
