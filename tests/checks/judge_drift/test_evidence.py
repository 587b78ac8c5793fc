"""judge_drift.evidence: the rows behind the findings, by hand."""

import numpy as np
import pandas as pd

from airflow_evalguard.checks.judge_drift import evidence
from airflow_evalguard.checks.judge_drift.read import Anchors


def test_scores_evidence_names_unpinned_then_failed_rows():
    scores = pd.DataFrame({"item_id": ["a", "b", "c"], "judge_model": ["v1", "v2", "v1"], "judge": [1.0, 2.0, np.nan]})
    rows = evidence.from_scores(scores, ["v1"])
    assert rows[["item_id", "problem"]].values.tolist() == [["b", "unpinned_snapshot"], ["c", "parse_failure"]]


def test_counts_evidence_per_snapshot():
    counts = pd.DataFrame({"judge_model": ["a", "b", "a"], "count": [5, 3, 1], "failed": [0, 0, 1]})
    rows = evidence.from_counts(counts, ["b"])
    assert rows["detail"].tolist() == ["a: 6 scores, 1 failed"] and rows["problem"].tolist() == ["unpinned_snapshot"]


def test_anchor_evidence_lists_moved_and_failed_anchors():
    anchors = Anchors(np.array(["x", "y", "z"]), np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, np.nan]))
    rows = evidence.from_anchors(anchors)
    assert rows["detail"].tolist() == ["2 -> 3", "3 -> nan"]
    assert rows["problem"].tolist() == ["anchor_changed", "parse_failure"]
