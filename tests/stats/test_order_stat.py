"""Quantile point estimates and order-statistic intervals against numpy, scipy and theory."""

import numpy as np
import pytest
from scipy import stats

from airflow_evalguard.stats.order_stat import (
    ci_indices,
    ci_indices_many,
    difference_interval,
    n_required,
    quantiles,
    ratio_interval,
)


@pytest.mark.parametrize("n", [5, 50, 200, 367, 368, 1000, 4321])
@pytest.mark.parametrize("q", [0.5, 0.9, 0.95, 0.99])
def test_point_and_interval_match_numpy_and_scipy(n, q):
    x = np.random.default_rng(n).lognormal(5, 1, n)
    est = quantiles(x, [(q, 0.05)])[0]
    assert est.value == pytest.approx(np.quantile(x, q), rel=1e-12)
    ci = stats.quantile_test(x, q=0, p=q).confidence_interval(0.95)
    expected_low = None if np.isnan(ci.low) else ci.low
    expected_high = None if np.isnan(ci.high) else ci.high
    assert (est.ci_low, est.ci_high) == (expected_low, expected_high)


def test_two_sided_p99_needs_368_requests_at_95_percent():
    assert n_required(0.99, 0.05) == 368
    assert ci_indices(367, 0.99, 0.05)[1] is None and ci_indices(368, 0.99, 0.05)[1] is not None
    assert n_required(0.5, 0.05) == 6  # 2 * 0.5**6 < 0.05: the textbook median minimum


def test_several_quantiles_from_one_partition_equal_separate_calls():
    x = np.random.default_rng(1).exponential(100, 5000)
    specs = [(0.5, 0.05), (0.95, 0.05), (0.99, 0.05), (0.99, 0.01)]
    together = quantiles(x, specs)
    assert together == [quantiles(x, [s])[0] for s in specs]
    assert together[3].ci_low <= together[2].ci_low and together[3].ci_high >= together[2].ci_high


@pytest.mark.parametrize("n", [400, 2000])
def test_coverage_at_least_nominal(n):
    rng = np.random.default_rng(n)
    truth = stats.lognorm(s=1, scale=np.exp(5)).ppf(0.99)
    hits = sum(
        e.ci_low <= truth <= e.ci_high
        for e in (quantiles(rng.lognormal(5, 1, n), [(0.99, 0.05)])[0] for _ in range(2000))
    )
    assert 0.94 <= hits / 2000 <= 0.99  # exact intervals are conservative: at least nominal


def test_ratio_and_difference_intervals_cover_at_least_nominal():
    rng = np.random.default_rng(5)
    dist_a, dist_b = stats.lognorm(s=1, scale=np.exp(5.1)), stats.lognorm(s=1, scale=np.exp(5))
    true_ratio = dist_a.ppf(0.99) / dist_b.ppf(0.99) - 1
    true_diff = dist_a.ppf(0.99) - dist_b.ppf(0.99)
    ratio_hits = diff_hits = 0
    for _ in range(1000):
        a = quantiles(dist_a.rvs(3000, random_state=rng), [(0.99, 0.025)])[0]
        b = quantiles(dist_b.rvs(3000, random_state=rng), [(0.99, 0.025)])[0]
        lo, hi = ratio_interval(a, b)
        ratio_hits += lo <= true_ratio <= hi
        lo, hi = difference_interval(a, b)
        diff_hits += lo <= true_diff <= hi
    assert ratio_hits / 1000 >= 0.95 and diff_hits / 1000 >= 0.95


def test_empty_and_unbounded():
    assert quantiles(np.array([]), [(0.5, 0.05)])[0].n == 0
    small = quantiles(np.arange(100.0), [(0.99, 0.05)])[0]
    assert small.ci_high is None and not small.bounded
    assert ratio_interval(small, small) == (None, None)


@pytest.mark.parametrize("n", [0, 10, 368, 3000])
def test_indices_of_many_specs_in_one_call_equal_one_call_each(n):
    specs = [(0.5, 0.05), (0.99, 0.05), (0.99, 0.0125), (0.999, 0.025), (0.01, 0.001), (0.9876, 0.05)]
    assert ci_indices_many(n, specs) == [ci_indices(n, q, alpha) for q, alpha in specs]
