import numpy as np
import pytest
from scipy import optimize, stats

from airflow_evalguard.stats.skew_t import inverse_hall, kurtosis_matched_df, sample_skewness, skew_t_interval


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
    excess = np.mean((values - mean) ** 4) / values.var(ddof=1) ** 2 - 3  # heavy tails: well above 0
    q = stats.t.ppf(0.975, 2 / (2 / (n - 1) + excess / n))
    skew = stats.skew(values, bias=False)
    assert hall_transform((mean - low) / se, skew, n) == pytest.approx(q, rel=1e-9)
    assert hall_transform((mean - high) / se, skew, n) == pytest.approx(-q, rel=1e-9)
    assert high - mean > mean - low  # right-skewed values: the interval reaches further up


def test_symmetric_light_tailed_values_give_the_t_interval():
    half = np.random.default_rng(2).uniform(0, 1, 20)  # excess kurtosis below 0: n - 1 df
    values = np.concatenate([half, -half]) + 3
    ci = stats.ttest_1samp(values, 0).confidence_interval(0.9)
    assert skew_t_interval(values, 0.1) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert skew_t_interval(np.full(4, 1.5), 0.05) == (1.5, 1.5)


def test_degrees_of_freedom_match_the_variance_of_the_sample_variance():
    """Box (1953): s^2 of values with excess kurtosis k is roughly chi-square on
    2 / (2 / (n - 1) + k / n) df; light tails keep n - 1."""
    values = np.array([0.0] * 18 + [10.0, -10.0])  # two outliers: excess kurtosis 6.1 (m4 / s^4 - 3)
    centred = values - values.mean()
    excess = np.mean(centred**4) / (centred @ centred / 19) ** 2 - 3
    assert excess > 5
    assert kurtosis_matched_df(values) == pytest.approx(2 / (2 / 19 + excess / 20), rel=1e-12)
    assert kurtosis_matched_df(values) < 6
    assert kurtosis_matched_df(np.linspace(0, 1, 20)) == 19.0
    assert kurtosis_matched_df(np.full(5, 2.0)) == 4.0


def test_heavy_tails_widen_the_interval_beyond_the_skewness_term():
    values = np.random.default_rng(3).lognormal(0, 1.5, 200)
    low, high = skew_t_interval(values, 0.05)
    n, mean, se = 200, values.mean(), values.std(ddof=1) / np.sqrt(200)
    on_n_minus_1 = [
        mean - float(inverse_hall(x, sample_skewness(values), n)) * se for x in stats.t.ppf([0.975, 0.025], n - 1)
    ]
    assert low < on_n_minus_1[0] and high > on_n_minus_1[1]
