import numpy as np
import pytest
from scipy.stats import ttest_ind

from airflow_evalguard.stats.balance import Moments
from airflow_evalguard.stats.welch import welch


@pytest.mark.parametrize("seed", range(5))
def test_welch_from_moments_equals_scipy_on_rows(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0, 1, 40 + seed * 100), rng.normal(0.2, 3, 25 + seed * 7)
    res = welch(Moments.of(a), Moments.of(b), alpha=0.05)
    ref = ttest_ind(b, a, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert res.p == pytest.approx(ref.pvalue, rel=1e-9)
    assert (res.ci_low, res.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert res.df == pytest.approx(ref.df, rel=1e-9)


def test_welch_on_constant_arms():
    same = welch(Moments.of(np.ones(5)), Moments.of(np.ones(7)), alpha=0.05)
    assert same.p == 1.0 and same.diff == 0
    assert welch(Moments.of(np.ones(5)), Moments.of(np.full(7, 2.0)), alpha=0.05).p == 0.0
