"""embedding_drift.retrieval: recall@k and nDCG@k by hand on a tiny ranking, the paired t-test
by its formula, the bootstrap interval against the normal interval on many queries."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from airflow_evalguard.checks.embedding_drift import retrieval
from airflow_evalguard.core.compose import compose
from airflow_evalguard.verdicts import Verdict

PARAMS = {
    "k": 2,
    "old_version": "old",
    "new_version": "new",
    "seed": 0,
    "n_boot": 2000,
    "alpha": 0.05,
    "warn_at": 0.02,
    "fail_at": 0.05,
}


def test_recall_and_ndcg_by_hand():
    # query 1: docs 10 and 11 relevant (11 only found by new); old ranks 10 first, new ranks 11 second
    rows = pd.DataFrame(
        [
            (1, 10, 1, 1, "old"),
            (1, 12, 2, 0, "old"),
            (1, 11, 3, 1, "old"),
            (1, 13, 1, 0, "new"),
            (1, 11, 2, 1, "new"),
        ],
        columns=["query_id", "doc_id", "rank", "relevant", "version"],
    )
    scores = retrieval.per_query(rows, 2).set_index("version")
    ideal = 1 / np.log2(2) + 1 / np.log2(3)
    assert scores.loc["old", "recall"] == 0.5 and scores.loc["new", "recall"] == 0.5
    assert scores.loc["old", "ndcg"] == pytest.approx(1 / ideal)
    assert scores.loc["new", "ndcg"] == pytest.approx((1 / np.log2(3)) / ideal)


def _rows(n_queries, drop, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for query in range(n_queries):
        for version, found in (("old", 0.8), ("new", 0.8 - drop)):
            rows += [(query, doc, doc + 1, int(rng.random() < found), version) for doc in range(2)]
    return pd.DataFrame(rows, columns=["query_id", "doc_id", "rank", "relevant", "version"])


def test_p_value_by_the_paired_t_formula_and_interval_near_the_normal_one():
    rows = _rows(600, 0.1, seed=1)
    recall, ndcg = retrieval.measure(rows, PARAMS)
    scores = retrieval.per_query(rows, 2).pivot(index="query_id", columns="version", values="recall").dropna()
    diff = (scores["old"] - scores["new"]).to_numpy()
    t = diff.mean() / (diff.std(ddof=1) / np.sqrt(len(diff)))
    assert recall.p_value == pytest.approx(2 * stats.t.sf(abs(t), len(diff) - 1))
    assert recall.value == pytest.approx(diff.mean()) and recall.queries == len(diff)
    half = 1.96 * diff.std(ddof=1) / np.sqrt(len(diff))
    assert recall.ci_low == pytest.approx(diff.mean() - half, abs=0.2 * half)
    assert recall.ci_high == pytest.approx(diff.mean() + half, abs=0.2 * half)
    assert ndcg.name == "ndcg@2"


def test_no_difference_has_p_one():
    rows = _rows(50, 0.0, seed=2)
    rows = pd.concat([rows[rows["version"] == "old"], rows[rows["version"] == "old"].assign(version="new")])
    recall, _ = retrieval.measure(rows, PARAMS)
    assert recall.p_value == 1.0 and recall.value == 0


def test_drops_are_one_holm_family_and_worded_with_the_adjusted_p():
    drops = retrieval.measure(_rows(600, 0.3, seed=3), PARAMS)
    composed = compose([retrieval.part(drops, PARAMS)], alpha=0.05)
    assert composed.verdict is Verdict.FAIL
    p_values = sorted(drop.p_value for drop in drops)
    assert sorted(item.p_adjusted for item in composed.judged) == pytest.approx(
        [min(1, 2 * p_values[0]), max(min(1, 2 * p_values[0]), p_values[1])]
    )
    findings = retrieval.findings(composed.judged, drops)
    assert [f.code for f in findings] == ["RETRIEVAL_REGRESSION"] * 2
    # queries with no relevant document under either version have no recall: they drop out
    assert f"p {composed.judged[0].p_adjusted:.2g} after Holm, {drops[0].queries} queries" in findings[0].message
    assert drops[0].queries < 600
    assert composed.findings == ()  # report=False: only `findings` words them
