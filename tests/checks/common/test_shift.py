"""A paired shift with its interval, as a two-sided gated effect; agreement below a minimum."""

import numpy as np
import pytest
from scipy import stats

from airflow_evalguard.checks.common.shift import alpha_shortfall, alpha_shortfall_p, paired_shift
from airflow_evalguard.stats.krippendorff import AlphaEstimate
from airflow_evalguard.verdicts import Verdict


def test_large_samples_use_the_paired_t_of_scipy():
    rng = np.random.default_rng(7)
    before = rng.normal(3, 1, 3000)
    after = before + 0.1 + rng.normal(0, 0.5, 3000)
    shift = paired_shift(after, before, alpha=0.05, n_boot=200, seed=0)
    oracle = stats.ttest_rel(after, before)
    low, high = oracle.confidence_interval(0.95)
    assert shift.value == pytest.approx(np.mean(after - before))
    assert (shift.ci_low, shift.ci_high) == pytest.approx((low, high))
    assert shift.p == pytest.approx(oracle.pvalue)
    assert shift.n == 3000


def test_the_effect_is_two_sided():
    rng = np.random.default_rng(8)
    before = rng.normal(3, 1, 3000)
    down = paired_shift(before - 0.3, before + rng.normal(0, 0.01, 3000), alpha=0.05, n_boot=200, seed=0)
    effect = down.as_effect("SHIFT", 0.1, 0.25, lambda verdict: verdict.value, slice="s")
    assert effect.value == pytest.approx(abs(down.value)) and effect.value > 0
    assert effect.ci_high == pytest.approx(max(abs(down.ci_low), abs(down.ci_high)))
    assert (effect.slice, effect.report, effect.warn_at, effect.fail_at) == ("s", True, 0.1, 0.25)


def test_alpha_shortfall_counts_resamples_reaching_the_bar():
    replicates = np.array([0.5, 0.6, 0.7, 0.85, np.nan])
    assert alpha_shortfall_p(replicates, 0.8) == pytest.approx((1 + 1) / (1 + 4))
    estimate = AlphaEstimate(0.65, 0.5, 0.85, 10, 20, 0, replicates)
    effect = alpha_shortfall("LOW", estimate, 0.8, lambda verdict: "low")
    assert (effect.value, effect.ci_high, effect.warn_at, effect.fail_at) == pytest.approx((0.15, 0.3, 0, 0))
    assert effect.describe(Verdict.FAIL) == "low"
