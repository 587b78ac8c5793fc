from math import comb

import numpy as np
import pytest
from scipy.stats import beta, binom

from airflow_evalguard.stats.coverage import (
    coverage,
    coverage_shortfall_p,
    expected_coverage,
    n_to_bound_tvd,
    n_to_cover,
)
from airflow_evalguard.stats.distances import tvd


def test_coverage_counts_reference_mass_of_filled_strata():
    assert coverage(np.array([10, 4, 0]), np.array([50, 30, 20]), 5) == pytest.approx(0.5)


def test_expected_coverage_matches_simulation():
    q = np.array([0.5, 0.3, 0.15, 0.05])
    rng = np.random.default_rng(0)
    sims = rng.multinomial(60, q, size=20000)
    simulated = np.mean(np.sum(np.where(sims >= 5, q, 0), axis=1))
    assert expected_coverage(60, q * 1000, 5) == pytest.approx(simulated, abs=0.005)
    assert expected_coverage(60, q, 5) == pytest.approx(float(np.sum(q * binom.sf(4, 60, q))))


def test_shortfall_p_small_for_biased_large_for_representative():
    ref = np.full(24, 1000.0)
    assert coverage_shortfall_p(0.1, 2000, ref, 5, n_sim=500, seed=0) < 0.01
    # 48 rows over 24 hours: a representative sample routinely leaves hours under 5 rows
    assert coverage_shortfall_p(0.2, 48, ref, 5, n_sim=500, seed=0) > 0.05


def _binomial_convolution(a: list[int], b: list[int]) -> list[int]:
    """Counts of words over two alphabets glued together: sum_j C(t, j) a_j b_(t-j)."""
    return [sum(comb(t, j) * a[j] * b[t - j] for j in range(t + 1)) for t in range(len(a))]


def _exact_p_at_most_one_thin(n: int, strata: int, least: int) -> float:
    """P(at most one of `strata` equally likely strata gets fewer than `least` of n rows), exactly:
    count the words of length n by exponential generating functions (integers, no floats)."""
    full = [1 if t >= least else 0 for t in range(n + 1)]
    thin = [1 if t < least else 0 for t in range(n + 1)]
    all_full = [1] + [0] * n
    for _ in range(strata - 1):
        all_full = _binomial_convolution(all_full, full)
    one_thin = _binomial_convolution(all_full, thin)
    all_full = _binomial_convolution(all_full, full)
    return (all_full[n] + strata * one_thin[n]) / strata**n


def test_n_to_cover_reaches_the_coverage_with_80_percent_by_exact_counting():
    # 24 equal strata, 95% coverage = at most one stratum under 5 rows
    ref = np.full(24, 1000.0)
    n = n_to_cover(ref, 5, 0.95, seed=0)
    assert 0.78 <= _exact_p_at_most_one_thin(n, 24, 5) <= 0.84
    assert _exact_p_at_most_one_thin(int(n * 0.9), 24, 5) < 0.8


def _exact_upper(counts: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """The interval's upper end when no stratum can be told from a tie and the reference is
    huge: the plug-in plus scipy's Clopper-Pearson margin at a share of 1/2."""
    n = counts.sum(axis=1)
    margin = beta.ppf(0.975, 0.5 * n + 1, 0.5 * n) - 0.5
    return tvd(counts / n[:, None], ref / ref.sum()) + margin


def test_n_to_bound_tvd_gives_80_percent_upper_ends_below_fail_at():
    ref = np.full(24, 10.0**9)  # a production log: its own noise is nil
    n = n_to_bound_tvd(ref, 0.2, 0.05, seed=0)
    rng = np.random.default_rng(1)
    at_n = _exact_upper(rng.multinomial(n, np.full(24, 1 / 24), size=4000), ref)
    assert 0.76 <= np.mean(at_n < 0.2) <= 0.86
    smaller = int(n * 0.85)
    at_smaller = _exact_upper(rng.multinomial(smaller, np.full(24, 1 / 24), size=4000), ref)
    assert np.mean(at_smaller < 0.2) < 0.75


def test_no_size_bounds_a_zero_fail_at_or_beats_a_tiny_reference():
    assert n_to_bound_tvd(np.full(24, 100.0), 0.0, 0.05, seed=0) is None
    # a 10-row reference alone keeps the margin above 0.2 (its own exact end) at any sample size
    assert n_to_bound_tvd(np.array([5.0, 5.0]), 0.2, 0.05, seed=0) is None
    assert n_to_cover(np.zeros(3), 5, 0.95) is None
