"""Standardized mean differences and the beyond-band test, against numpy/scipy and hand values."""

import numpy as np
import pytest
from scipy.stats import norm

from airflow_evalguard.stats.balance import Moments, beyond_band_p, smd_binary, smd_from_moments, smd_se


@pytest.mark.parametrize("seed", range(5))
def test_moments_match_numpy(seed):
    x = np.random.default_rng(seed).normal(3, 2, size=20 + 50 * seed)
    moments = Moments.of(x)
    assert moments.count == len(x)
    assert moments.mean == pytest.approx(np.mean(x), rel=1e-12)
    assert moments.var == pytest.approx(np.var(x, ddof=1), rel=1e-9)


def test_moments_below_two_values():
    assert np.isnan(Moments.of(np.array([1.0])).var)
    assert np.isnan(Moments(0.0, 0.0, 0.0).mean)


@pytest.mark.parametrize("seed", range(5))
def test_smd_is_the_pooled_sd_formula_on_rows(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(0, 1, 80), rng.normal(0.4, 2, 60)
    expected = (b.mean() - a.mean()) / np.sqrt((np.var(a, ddof=1) + np.var(b, ddof=1)) / 2)
    assert smd_from_moments(Moments.of(a), Moments.of(b)) == pytest.approx(expected, rel=1e-9)


def test_smd_of_constant_arms():
    assert smd_from_moments(Moments.of(np.full(5, 2.0)), Moments.of(np.full(7, 2.0))) == 0.0
    assert smd_from_moments(Moments.of(np.full(5, 2.0)), Moments.of(np.full(7, 3.0))) == np.inf
    assert smd_from_moments(Moments.of(np.full(5, 3.0)), Moments.of(np.full(7, 2.0))) == -np.inf


def test_smd_binary_hand_value():
    # pooled = sqrt((0.2*0.8 + 0.5*0.5) / 2) = sqrt(0.205)
    assert smd_binary(0.2, 0.5) == pytest.approx(0.3 / np.sqrt(0.205))
    assert smd_binary(0.3, 0.3) == 0.0
    assert smd_binary(0.0, 1.0) == np.inf
    assert smd_binary(1.0, 1.0) == 0.0


def test_smd_se_hedges_olkin_hand_value():
    # sqrt((50 + 50) / (50 * 50) + 0.5**2 / (2 * 100)) = sqrt(0.04 + 0.00125)
    assert smd_se(0.5, 50, 50) == pytest.approx(np.sqrt(0.04125))
    assert smd_se(np.inf, 50, 50) == pytest.approx(np.sqrt(0.04))  # an infinite d adds nothing


@pytest.mark.parametrize(("d", "se", "band"), [(0.3, 0.1, 0.1), (-0.3, 0.1, 0.1), (0.05, 0.2, 0.1), (0.1, 0.07, 0.1)])
def test_beyond_band_p_is_the_normal_tail(d, se, band):
    assert beyond_band_p(d, se, band) == pytest.approx(norm.sf((abs(d) - band) / se), rel=1e-9)


def test_beyond_band_p_edges():
    assert beyond_band_p(0.1, 0.05, 0.1) == pytest.approx(0.5)  # exactly at the band
    assert beyond_band_p(np.inf, 0.1, 0.1) == 0.0
    assert beyond_band_p(0.2, 0.0, 0.1) == 0.0  # no noise, beyond the band
    assert beyond_band_p(0.05, 0.0, 0.1) == 1.0
