import itertools

import numpy as np
import pytest
from scipy.stats import beta, multinomial, norm
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from airflow_evalguard.stats.distances import shares, tvd
from airflow_evalguard.stats.tvd_interval import possibly_tied, tie_threshold, tvd_interval, tvd_upper

# A production log so large that its own resampling noise is negligible: q is known exactly.
REF = np.array([500_000.0, 300_000.0, 200_000.0])
Q = REF / REF.sum()


def _interval(sample, ref=REF, seed=0, n_boot=400, alpha=0.05):
    rng = np.random.default_rng(seed)
    p_star = rng.multinomial(int(sample.sum()), shares(sample), size=n_boot) / sample.sum()
    q_star = rng.multinomial(int(ref.sum()), shares(ref), size=n_boot) / ref.sum()
    return tvd_interval(sample, ref, p_star, q_star, alpha)


def _outcomes(n, k):
    """Every count vector of n rows over k strata (exact enumeration)."""
    for cuts in itertools.combinations(range(n + k - 1), k - 1):
        bounds = (-1, *cuts, n + k - 1)
        yield np.array([bounds[i + 1] - bounds[i] - 1 for i in range(k)])


def _exact_margin(share, rows, ref_share, ref_rows):
    """Clopper-Pearson one-sided 97.5% ends from scipy's beta quantiles, combined as Newcombe's."""
    upper = beta.ppf(0.975, share * rows + 1, rows - share * rows)
    lower = beta.ppf(0.025, ref_share * ref_rows, ref_rows - ref_share * ref_rows + 1)
    return np.hypot(upper - share, ref_share - lower)


def test_upper_end_adds_the_exact_margin_of_the_clearly_gaining_strata():
    # 2,000 rows, shares 0.58 / 0.25 / 0.17 against 0.5 / 0.3 / 0.2: stratum 0 clearly gains, the
    # others clearly lose (over 2.9 standard errors each), so A = {0}
    sample = np.array([1160.0, 500.0, 340.0])
    assert not possibly_tied(sample, REF, 0.05 / 4).any()
    expected = tvd(shares(sample), Q) + _exact_margin(0.58, 2000, 0.5, REF.sum())
    assert tvd_upper(sample, REF, 0.05) == pytest.approx(expected)


def test_upper_end_takes_the_widest_margin_a_possibly_tied_stratum_allows():
    # 200 rows, shares 0.56 / 0.34 / 0.10: strata 0 and 1 may be tied, stratum 2 clearly loses, so
    # A* holds any of {0, 1}: its sample share lies in 0 .. 0.9 and its reference share in 0 .. 0.8
    sample = np.array([112.0, 68.0, 20.0])
    assert list(possibly_tied(sample, REF, 0.05 / 4)) == [True, True, False]
    widest = tvd_upper(sample, REF, 0.05)
    assert widest == pytest.approx(tvd(shares(sample), Q) + _exact_margin(0.5, 200, 0.5, REF.sum()))
    # a margin at A_hat = {d_hat > 0} = {0, 1} alone (shares 0.9 and 0.8) would be narrower
    assert widest > tvd(shares(sample), Q) + _exact_margin(0.9, 200, 0.8, REF.sum()) + 0.01


def test_upper_end_is_vectorised_over_samples():
    samples = np.array([[50.0, 30.0, 20.0], [40.0, 35.0, 25.0], [80.0, 10.0, 10.0]])
    both = tvd_upper(samples, REF, 0.05)
    for row, upper in zip(samples, both, strict=True):
        assert upper == pytest.approx(float(tvd_upper(row, REF, 0.05)))


def test_possibly_tied_is_the_pooled_two_proportion_z_test_at_a_bonferroni_level():
    sample = np.array([62.0, 20.0, 18.0])
    tied = possibly_tied(sample, REF, 0.05)
    zs = [proportions_ztest([sample[k], REF[k]], [sample.sum(), REF.sum()])[0] for k in range(3)]
    assert list(tied) == [abs(z) <= norm.ppf(1 - 0.05 / 6) for z in zs]
    assert sorted(tied) == [False, True, True]  # the test can fail both ways here
    assert tie_threshold(3, 0.05) == pytest.approx(norm.ppf(1 - 0.05 / 6))


def test_ends_bracket_the_point_within_zero_and_one():
    rng = np.random.default_rng(2)
    for _ in range(20):
        sample = rng.multinomial(80, rng.dirichlet(np.ones(3))).astype(float)
        ci = _interval(sample)
        assert 0 <= ci.low <= ci.point <= ci.high <= 1
        assert ci.plugin == pytest.approx(tvd(shares(sample), Q))


@pytest.mark.parametrize(
    "p_true",
    [
        Q,  # every stratum tied: the plug-in is all bias
        np.array([0.4, 0.3, 0.3]),  # two strata differ, one tied
        np.array([0.65, 0.25, 0.10]),  # all differ
    ],
)
def test_each_end_misses_at_most_alpha_half_by_exact_enumeration_at_90_rows(p_true):
    """Every sample of 90 rows, weighted by its exact multinomial probability (scipy): each end
    of the 95% interval may miss the true TVD in at most 2.5% (+1 point for the bootstrap's error
    at counts this small), below the 300 rows the check is calibrated for."""
    truth = float(tvd(p_true, Q))
    above = below = 0.0
    for counts in _outcomes(90, 3):
        weight = multinomial.pmf(counts, 90, p_true)
        if weight < 1e-12:
            continue
        ci = _interval(counts.astype(float), seed=int(counts @ [1, 31, 961]))
        above += weight * (ci.low > truth + 1e-12)
        below += weight * (ci.high < truth - 1e-12)
    assert above <= 0.035 and below <= 0.035


def test_lower_end_is_near_the_wald_end_when_no_stratum_can_be_tied():
    # 20,000 rows, differences of many standard errors: the derivative is linear, the interval
    # is the two-sided Wald interval of p(A) - q(A) (statsmodels), up to bootstrap noise
    sample = np.array([9000.0, 7600.0, 3400.0])
    ci = _interval(sample, n_boot=4000)
    assert ci.possibly_tied == 0
    gaining = shares(sample) - Q > 0
    low, _ = confint_proportions_2indep(
        sample[gaining].sum(), sample.sum(), REF[gaining].sum(), REF.sum(), method="wald", compare="diff"
    )
    assert ci.low == pytest.approx(low, abs=0.002)
