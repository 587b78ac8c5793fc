"""judge_drift on synthetic judges with known behaviour: each part, the Holm family, bad input."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.schema import assert_valid_result


def codes(result):
    return {f.code for f in result.findings}


def scores_frame(n=400, model="judge-v1", seed=0, nan_share=0.0):
    rng = np.random.default_rng(seed)
    score = rng.integers(1, 6, n).astype(float)
    score[rng.random(n) < nan_share] = np.nan
    return pd.DataFrame({"item_id": [f"i{k}" for k in range(n)], "judge_model": model, "score": score})


def anchors_frame(n=300, shift=0.0, noise=0.3, seed=1):
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 6, n).astype(float)
    cur = np.clip(np.round(ref + shift + rng.normal(0, noise, n)), 1, 5)
    return pd.DataFrame({"item_id": np.arange(n), "reference_score": ref, "score": cur})


def test_pinned_snapshot_passes_and_changed_snapshot_fails_directly():
    ok = run_check("judge_drift", {"scores": scores_frame()}, {"pinned_judge": "judge-v1"})
    assert ok.verdict.value == "PASS"
    mixed = pd.concat([scores_frame(300), scores_frame(100, model="judge-v2", seed=3)])
    bad = run_check("judge_drift", {"scores": mixed}, {"pinned_judge": ["judge-v1"]})
    assert bad.verdict.value == "FAIL"
    assert "JUDGE_SNAPSHOT_CHANGED" in codes(bad)
    assert bad.metrics["unpinned_share"].value == pytest.approx(0.25)
    assert "'judge-v2' (100)" in bad.summary
    assert_valid_result(bad)


def test_unpinned_mixed_snapshots_warn():
    mixed = pd.concat([scores_frame(300), scores_frame(100, model="judge-v2", seed=3)])
    r = run_check("judge_drift", {"scores": mixed})
    assert r.verdict.value == "WARN" and "MIXED_JUDGE_SNAPSHOTS" in codes(r)


def test_parse_failures_are_counted_never_dropped():
    df = scores_frame(1000, nan_share=0.0)
    df.loc[:29, "score"] = np.nan  # 30 unparseable
    df["parse_error"] = False
    df.loc[100:119, "parse_error"] = True  # 20 flagged by the caller's parser
    r = run_check("judge_drift", {"scores": df}, {"pinned_judge": "judge-v1"})
    m = r.metrics["judge_parse_failure_rate"]
    assert m.value == pytest.approx(0.05) and m.n == 1000
    assert r.verdict.value == "WARN" and "JUDGE_PARSE_FAILURES" in codes(r)
    df.loc[:150, "score"] = np.nan
    assert run_check("judge_drift", {"scores": df}, {"pinned_judge": "judge-v1"}).verdict.value == "FAIL"


def test_few_judgments_without_failures_cannot_settle_the_parse_rate():
    r = run_check("judge_drift", {"scores": scores_frame(10)}, {"pinned_judge": "judge-v1"})
    assert r.verdict.value == "INCONCLUSIVE"
    assert "JUDGE_PARSE_FAILURES_UNSETTLED" in codes(r)


def test_anchor_shift_fails_when_the_judge_moved_and_passes_when_it_did_not():
    same = run_check("judge_drift", {"anchors": anchors_frame(shift=0.0)}, {"min_alpha": 0.667})
    assert same.verdict.value == "PASS", same.summary
    assert abs(same.metrics["anchor_shift"].value) < 0.05
    assert same.metrics["anchor_alpha"].value > 0.9
    moved = run_check("judge_drift", {"anchors": anchors_frame(shift=0.6)}, {"min_alpha": 0.667})
    assert moved.verdict.value == "FAIL"
    assert "ANCHOR_SHIFT" in codes(moved)
    m = moved.metrics["anchor_shift"]
    assert m.ci_low < m.value < m.ci_high and m.value > 0.4


def test_anchor_shift_matches_scipy_paired_t_beyond_bootstrap_size():
    from scipy import stats

    a = anchors_frame(n=3000, shift=0.1, noise=0.8)
    r = run_check("judge_drift", {"anchors": a}, {"min_alpha": 0.0})
    d = a["score"] - a["reference_score"]
    ci = stats.ttest_1samp(d, 0).confidence_interval(0.95)
    m = r.metrics["anchor_shift"]
    assert (m.ci_low, m.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)


def test_low_anchor_alpha_fails_even_without_a_mean_shift():
    rng = np.random.default_rng(4)
    ref = rng.integers(1, 6, 400).astype(float)
    cur = rng.permutation(ref)  # same distribution, no relation to the reference
    r = run_check(
        "judge_drift", {"anchors": pd.DataFrame({"item_id": range(400), "reference_score": ref, "score": cur})}
    )
    assert r.verdict.value == "FAIL"
    assert "ANCHOR_DISAGREEMENT" in codes(r) and "ANCHOR_SHIFT" not in codes(r)


def dual_frame(n=400, true_lift=0.2, ruler=0.0, seed=5):
    rng = np.random.default_rng(seed)
    quality = rng.normal(3, 0.8, n)
    rows = []
    for system, lift in (("baseline", 0.0), ("candidate", true_lift)):
        for judge, extra in (("old", 0.0), ("new", ruler if system == "candidate" else 0.0)):
            rows.append(
                pd.DataFrame(
                    {
                        "item_id": np.arange(n),
                        "system": system,
                        "judge_model": judge,
                        "score": quality + lift + extra + rng.normal(0, 0.3, n),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def test_dual_window_reports_lift_net_of_the_ruler_effect():
    r = run_check("judge_drift", {"dual": dual_frame(ruler=0.4)}, {"old_judge": "old", "score_type": "interval"})
    assert r.metrics["ruler_effect"].value == pytest.approx(0.4, abs=0.08)
    assert r.metrics["lift.old_judge"].value == pytest.approx(0.2, abs=0.08)
    assert r.metrics["lift.new_judge_net_of_ruler"].value == pytest.approx(r.metrics["lift.old_judge"].value)
    assert r.verdict.value == "FAIL" and "RULER_EFFECT" in codes(r)
    steady = run_check("judge_drift", {"dual": dual_frame(ruler=0.0)}, {"old_judge": "old", "score_type": "interval"})
    assert steady.verdict.value == "PASS", steady.summary


def test_dual_judges_resolved_from_the_pin():
    r = run_check("judge_drift", {"dual": dual_frame()}, {"pinned_judge": "old", "score_type": "interval"})
    assert r.metrics["lift.old_judge"].value == pytest.approx(0.2, abs=0.08)
    with pytest.raises(EvalGuardInputError, match="old judge from the new"):
        run_check("judge_drift", {"dual": dual_frame()}, {"score_type": "interval"})


def test_null_false_fail_rate_at_most_alpha():
    """Honest judge, every part running: the share of FAIL verdicts stays at or below alpha."""
    fails = 0
    sims = 60
    for s in range(sims):
        a = anchors_frame(n=200, shift=0.0, noise=0.25, seed=100 + s)
        d = dual_frame(n=200, ruler=0.0, seed=200 + s)
        r = run_check(
            "judge_drift",
            {"anchors": a, "dual": d},
            {"old_judge": "old", "score_type": "interval", "min_alpha": 0.5, "n_boot": 300, "seed": s},
        )
        fails += r.verdict.value == "FAIL"
    # binomial tolerance: P(X >= 8 | n=60, p=0.05) < 0.02
    assert fails <= 7


@pytest.mark.parametrize(
    "inputs, params, match",
    [
        ({}, {}, "at least one of the inputs"),
        (
            {"scores": pd.DataFrame({"item_id": [1, 2], "judge_model": ["a", None], "score": [1, 2]})},
            {},
            "judge snapshot id",
        ),
        (
            {"scores": pd.DataFrame({"item_id": [1, 2], "judge_model": "a", "winner": ["1", "3"]})},
            {"score_type": "pairwise"},
            r"outside \{1, 2, tie\}",
        ),
        (
            {"scores": pd.DataFrame({"item_id": [1, 2], "judge_model": "a", "score": [1, 2]})},
            {"score_type": "pairwise"},
            "needs a 'winner' column",
        ),
        (
            {"scores": pd.DataFrame({"item_id": [1, 2], "judge_model": "a", "score": ["good", 2]})},
            {},
            "must hold numbers",
        ),
        ({"human": pd.DataFrame({"item_id": [1], "human_score": [1]})}, {}, "give 'scores' \\(rows"),
        (
            {"anchors": pd.DataFrame({"item_id": [1, 2], "reference_score": [1, None], "score": [1, 2]})},
            {},
            "reference scores must be complete",
        ),
        (
            {"scores": pd.DataFrame({"item_id": [1], "judge_model": "a", "score": [1]})},
            {"max_shift": [0.5, 0.1]},
            "warn_at <= fail_at",
        ),
    ],
)
def test_bad_input_is_named(inputs, params, match):
    with pytest.raises(EvalGuardInputError, match=match):
        run_check("judge_drift", inputs, params)
