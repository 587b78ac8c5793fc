"""judge_drift.anchors: the shift against scipy's paired t, alpha against the krippendorff package."""

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from airflow_evalguard.checks.judge_drift.anchors import anchors_part

PARAMS = {"max_shift": [0.1, 0.25], "min_alpha": 0.8, "alpha": 0.05, "n_boot": 200, "seed": 0}


def anchors(n, shift, seed=0):
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 6, n).astype(float)
    cur = np.clip(np.round(ref + shift + rng.normal(0, 0.6, n)), 1, 5)
    return ref, cur


def test_shift_beyond_bootstrap_size_is_scipy_paired_t():
    ref, cur = anchors(2500, 0.2)
    part = anchors_part(ref, cur, score_type="interval", params=PARAMS)
    test = stats.ttest_rel(cur, ref)
    ci = test.confidence_interval(0.95)
    metric = part.metrics["anchor_shift"]
    assert metric.value == pytest.approx(np.mean(cur - ref))
    assert (metric.ci_low, metric.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    shift = next(g for g in part.gated if g.code == "ANCHOR_SHIFT")
    assert shift.p_value == pytest.approx(test.pvalue, rel=1e-6)
    assert shift.value == pytest.approx(abs(metric.value)) and shift.ci_high == pytest.approx(
        max(abs(ci.low), abs(ci.high))
    )


def test_alpha_and_exact_agreement_match_krippendorff_and_wilson():
    krippendorff = pytest.importorskip("krippendorff")
    ref, cur = anchors(300, 0.0, seed=3)
    cur[:5] = np.nan  # parse failures leave the pairs
    part = anchors_part(ref, cur, score_type="ordinal", params=PARAMS)
    ok = ~np.isnan(cur)
    expected = krippendorff.alpha(reliability_data=np.vstack([ref[ok], cur[ok]]), level_of_measurement="ordinal")
    assert part.metrics["anchor_alpha"].value == pytest.approx(expected, abs=1e-10)
    assert part.metrics["anchor_alpha"].n == 295
    same = int(np.sum(ref[ok] == cur[ok]))
    low, high = proportion_confint(same, 295, alpha=0.05, method="wilson")
    exact = part.metrics["anchor_exact_agreement"]
    assert exact.value == pytest.approx(same / 295) and (exact.ci_low, exact.ci_high) == pytest.approx((low, high))
    disagreement = next(g for g in part.gated if g.code == "ANCHOR_DISAGREEMENT")
    assert disagreement.value == pytest.approx(0.8 - expected)
    assert disagreement.warn_at == disagreement.fail_at == 0.0


def test_ordinal_anchors_with_thousands_of_distinct_scores_are_an_input_error():
    from airflow_evalguard.exceptions import EvalGuardInputError

    scores = np.linspace(0.0, 1.0, 5_000)
    with pytest.raises(EvalGuardInputError, match="input 'anchors'.*use level='interval'"):
        anchors_part(scores, scores + 0.001, score_type="ordinal", params=PARAMS)
