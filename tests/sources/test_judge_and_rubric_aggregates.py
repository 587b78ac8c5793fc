"""judge_drift from score counts per judge snapshot and rubric_drift from per-item sums give the
same verdict and metrics as from rows, whether counted by pandas or pushed down to DuckDB."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.demo.instruments import PINNED_JUDGE, judge_records, rubric_ratings
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.sources.same import approx_same, duckdb_source, same


@pytest.mark.parametrize("fault", [None, "judge_silently_updated"])
def test_judge_drift_score_counts_equal_rows(fault, tmp_path):
    scores, anchors = judge_records(fault, seed=3)
    scores = scores.assign(parse_error=np.arange(len(scores)) % 97 == 0)  # some flagged, some NULL scores
    params = {"pinned_judge": [PINNED_JUDGE], "n_boot": 400}
    from_rows = run_check("judge_drift", {"scores": scores, "anchors": anchors}, params)
    failed = scores["score"].isna() | scores["parse_error"]
    counts = (
        scores.assign(failed=failed)
        .groupby("judge_model")
        .agg(count=("score", "size"), failed=("failed", "sum"))
        .reset_index()
    )
    pushed = duckdb_source(tmp_path, scores=scores).judge_score_counts("scores", parse_error="parse_error")
    for aggregated in (counts, pushed):
        from_counts = run_check("judge_drift", {"score_counts": aggregated, "anchors": anchors}, params)
        same(from_rows, from_counts)
        assert from_counts.evidence["input"].eq("score_counts").any() == (fault is not None or bool(failed.any()))
    assert (from_rows.verdict.value == "FAIL") == (fault is not None)


def test_judge_drift_score_counts_refusals():
    scores, _ = judge_records(None)
    counts = pd.DataFrame({"judge_model": [PINNED_JUDGE], "count": [10], "failed": [11]})
    with pytest.raises(EvalGuardInputError, match="more failed judgments"):
        run_check("judge_drift", {"score_counts": counts}, {})
    with pytest.raises(EvalGuardInputError, match="not both"):
        run_check("judge_drift", {"score_counts": counts.assign(failed=1), "scores": scores}, {})
    with pytest.raises(EvalGuardInputError, match="cannot be joined"):
        run_check(
            "judge_drift",
            {"score_counts": counts.assign(failed=1), "human": pd.DataFrame({"item_id": ["e1"], "human_score": [3]})},
            {},
        )


def _sums(ratings):
    return (
        ratings.groupby(["item_id", "criterion", "period", "rater_type"])
        .agg(count=("score", "count"), sum=("score", "sum"), min=("score", "min"), max=("score", "max"))
        .reset_index()
    )


@pytest.mark.parametrize("fault", [None, "rubric_two_axis_drift"])
def test_rubric_drift_item_sums_equal_rows(fault, tmp_path):
    ratings = rubric_ratings(fault, seed=4)
    params = {"n_boot": 400}
    from_rows = run_check("rubric_drift", {"ratings": ratings}, params)
    sums = _sums(ratings)
    pushed = duckdb_source(tmp_path, ratings=ratings).rubric_item_sums("ratings")
    for aggregated in (sums, pushed):
        approx_same(from_rows, run_check("rubric_drift", {"item_sums": aggregated}, params))
    assert (from_rows.verdict.value == "FAIL") == (fault is not None)
    # shards repeating a key add up; the scale check reads min and max
    shard = np.random.default_rng(0).random(len(ratings)) < 0.5
    shards = pd.concat([_sums(ratings[shard]), _sums(ratings[~shard])])
    approx_same(from_rows, run_check("rubric_drift", {"item_sums": shards}, params))
    with pytest.raises(EvalGuardInputError, match="outside the scale"):
        run_check("rubric_drift", {"item_sums": sums}, {**params, "scale": [1, 2]})
    with pytest.raises(EvalGuardInputError, match="either input"):
        run_check("rubric_drift", {"item_sums": sums, "ratings": ratings}, params)
