import numpy as np
import pytest
from scipy import optimize, stats

from airflow_evalguard.stats.skew_t import inverse_hall, sample_skewness, skew_t_interval


def hall_transform(t: float, skewness: float, n: int) -> float:
    """Hall (1992) as published: T + g T^2 / (3 sqrt n) + g^2 T^3 / (27 n) + g / (6 sqrt n)."""
    return t + skewness * t**2 / (3 * np.sqrt(n)) + skewness**2 * t**3 / (27 * n) + skewness / (6 * np.sqrt(n))


def test_skewness_is_scipys_bias_corrected_skewness():
    values = np.random.default_rng(0).exponential(1, 25)
    assert sample_skewness(values) == pytest.approx(stats.skew(values, bias=False), rel=1e-12)
    assert sample_skewness(np.full(5, 2.0)) == 0.0


@pytest.mark.parametrize("skewness", [-3.0, -0.5, 0.0, 0.8, 4.0])
def test_inverse_solves_the_published_transform(skewness):
    for x in [-2.1, -0.3, 0.0, 1.7]:
        root = optimize.brentq(lambda t, x=x: hall_transform(t, skewness, 30) - x, -50, 50, xtol=1e-13)
        assert float(inverse_hall(x, skewness, 30)) == pytest.approx(root, abs=1e-9)


def test_interval_inverts_the_transform_at_the_t_quantiles():
    values = np.random.default_rng(1).lognormal(0, 1, 40)
    low, high = skew_t_interval(values, 0.05)
    n, mean, se = 40, values.mean(), values.std(ddof=1) / np.sqrt(40)
    q = stats.t.ppf(0.975, n - 1)
    skew = stats.skew(values, bias=False)
    assert hall_transform((mean - low) / se, skew, n) == pytest.approx(q, rel=1e-9)
    assert hall_transform((mean - high) / se, skew, n) == pytest.approx(-q, rel=1e-9)
    assert high - mean > mean - low  # right-skewed values: the interval reaches further up


def test_symmetric_values_give_the_t_interval():
    half = np.random.default_rng(2).normal(0, 1, 20)
    values = np.concatenate([half, -half]) + 3
    ci = stats.ttest_1samp(values, 0).confidence_interval(0.9)
    assert skew_t_interval(values, 0.1) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert skew_t_interval(np.full(4, 1.5), 0.05) == (1.5, 1.5)
