import numpy as np
import pytest
from scipy import stats

from airflow_evalguard.stats.paired_scores import BCA_MIN_RESAMPLES, BOOTSTRAP_MAX_N, paired_score_drops


def test_large_groups_match_scipy_paired_t():
    rng = np.random.default_rng(1)
    n = 5000
    teacher = rng.normal(0.7, 0.2, n)
    student = teacher - 0.01 + rng.normal(0, 0.1, n)
    g = np.zeros(n, dtype=int)
    res = paired_score_drops(teacher, student, g, 1, alpha=0.05, n_boot=500, seed=0)
    ref = stats.ttest_rel(teacher, student)
    assert res.p[0] == pytest.approx(ref.pvalue, rel=1e-9)
    ci = ref.confidence_interval(0.95)
    assert (res.ci_low[0], res.ci_high[0]) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert res.methods == ["paired_t"]


def test_small_groups_use_bootstrap_that_covers():
    rng = np.random.default_rng(2)
    hits = 0
    runs = 1000  # SE of the coverage estimate ~0.007
    for i in range(runs):
        d = rng.exponential(0.1, 60) - 0.1  # skewed differences with mean 0: a hard case
        res = paired_score_drops(d, np.zeros(60), np.zeros(60, dtype=int), 1, alpha=0.05, n_boot=1000, seed=i)
        hits += res.ci_low[0] <= 0 <= res.ci_high[0]
    assert res.methods == ["paired_bootstrap_bca"] and BOOTSTRAP_MAX_N >= 60
    assert 0.91 <= hits / runs <= 0.97  # measured 0.93 (t: 0.93, percentile: 0.92)


def test_too_few_resamples_for_bca_give_the_paired_t_interval():
    """Issue 17: BCa endpoints from fewer than BCA_MIN_RESAMPLES resamples covered 0.91-0.92; a
    small group then gets scipy's paired t interval, and its method says so."""
    rng = np.random.default_rng(3)
    teacher, student = rng.normal(3, 1, 60), rng.normal(2.8, 1, 60)
    res = paired_score_drops(
        teacher, student, np.zeros(60, dtype=int), 1, alpha=0.05, n_boot=BCA_MIN_RESAMPLES - 1, seed=0
    )
    ci = stats.ttest_rel(teacher, student).confidence_interval(0.95)
    assert res.methods == ["paired_t"]
    assert (res.ci_low[0], res.ci_high[0]) == pytest.approx((ci.low, ci.high), rel=1e-9)
    at_floor = paired_score_drops(
        teacher, student, np.zeros(60, dtype=int), 1, alpha=0.05, n_boot=BCA_MIN_RESAMPLES, seed=0
    )
    assert at_floor.methods == ["paired_bootstrap_bca"]
