import numpy as np
import pytest
from scipy.stats import binom

from airflow_evalguard.stats.coverage import (
    coverage,
    coverage_shortfall_p,
    expected_coverage,
    n_to_bound_tvd,
    n_to_cover,
)
from airflow_evalguard.stats.mix import tvd


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


def test_n_to_cover_is_the_smallest_such_n():
    ref = np.full(24, 1.0)
    n = n_to_cover(ref, 5, 0.95)
    assert expected_coverage(n, ref, 5) >= 0.95
    assert expected_coverage(int(n * 0.97), ref, 5) < 0.95


def test_n_to_bound_tvd_is_where_null_tvd_falls_below_fail_at():
    q = np.full(24, 1 / 24)
    n = n_to_bound_tvd(q, 0.2, 0.05, seed=0)
    rng = np.random.default_rng(1)
    # at n, a representative sample's TVD is well below fail_at; at n/4 it often is not
    at_n = tvd(rng.multinomial(n, q, size=2000) / n, q)
    quarter = n // 4
    at_quarter = tvd(rng.multinomial(quarter, q, size=2000) / quarter, q)
    assert np.quantile(at_n, 0.975) < 0.2
    assert np.quantile(at_quarter, 0.975) > 0.2
