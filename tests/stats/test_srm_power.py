"""SRM power and sizes against statsmodels, scipy's chisquare on every outcome, and simulation."""

import itertools

import numpy as np
import pytest
from scipy.stats import chisquare, multinomial
from statsmodels.stats.power import GofChisquarePower

from airflow_evalguard.stats.srm_power import asymptotic_power, exact_power, units_needed


def _enumerated_power(n, expected, true, alpha):
    """Every multinomial outcome, each tested by scipy's chisquare as the check tests it."""
    power = 0.0
    for head in itertools.product(range(n + 1), repeat=len(expected) - 1):
        if sum(head) > n:
            continue
        counts = [*head, n - sum(head)]
        if chisquare(counts, f_exp=np.asarray(expected) * n).pvalue < alpha:
            power += multinomial.pmf(counts, n, true)
    return power


def test_asymptotic_power_is_statsmodels_goodness_of_fit_power():
    expected, true = np.array([0.5, 0.3, 0.2]), np.array([0.46, 0.34, 0.2])
    effect = np.sqrt(np.sum((true - expected) ** 2 / expected))
    reference = GofChisquarePower().power(effect_size=effect, nobs=3000, alpha=0.01, n_bins=3)
    assert asymptotic_power(3000, expected, true, 0.01) == pytest.approx(reference, rel=1e-6)


@pytest.mark.parametrize("n, split", [(40, (0.9, 0.1)), (301, (0.97, 0.03)), (120, (0.5, 0.5))])
def test_exact_two_arm_power_is_every_outcome_through_scipy(n, split):
    expected = np.array(split)
    true = expected + np.array([-0.05, 0.05])
    assert exact_power(n, expected, true, 0.05) == pytest.approx(_enumerated_power(n, expected, true, 0.05), abs=1e-9)


def test_monte_carlo_power_for_three_arms_matches_enumeration():
    expected, true = np.array([0.6, 0.3, 0.1]), np.array([0.5, 0.4, 0.1])
    exact = _enumerated_power(60, expected, true, 0.05)
    assert exact_power(60, expected, true, 0.05) == pytest.approx(exact, abs=0.012)  # 20,000 draws: sd ~0.0035


def test_balanced_split_is_sized_by_the_noncentral_chi_square():
    expected, true = np.array([0.5, 0.5]), np.array([0.48, 0.52])
    need, how = units_needed(expected, true, 0.001)
    assert how == "noncentral chi-square"
    reference = GofChisquarePower().solve_power(effect_size=0.04, nobs=None, alpha=0.001, power=0.8, n_bins=2)
    assert need == int(np.ceil(reference))


def test_small_arm_is_sized_exactly_where_the_approximation_overstates_power():
    expected, true = np.array([0.97, 0.03]), np.array([0.95, 0.05])
    asymptotic = GofChisquarePower().solve_power(
        effect_size=np.sqrt(np.sum((true - expected) ** 2 / expected)), nobs=None, alpha=0.05, power=0.8, n_bins=2
    )
    # at the noncentral chi-square's size the test as run has well under 80% power
    assert exact_power(int(np.ceil(asymptotic)), expected, true, 0.05) < 0.75
    need, how = units_needed(expected, true, 0.05)
    assert how == "exact binomial enumeration"
    assert exact_power(need, expected, true, 0.05) >= 0.8
    # simulated, independently of the enumeration
    rng = np.random.default_rng(0)
    first = rng.binomial(need, true[0], 20_000)
    statistic = (first - need * expected[0]) ** 2 / (need * expected[0] * expected[1])
    assert np.mean(statistic > 3.841458820694124) == pytest.approx(exact_power(need, expected, true, 0.05), abs=0.015)


def test_no_mismatch_cannot_be_sized():
    assert units_needed(np.array([0.5, 0.5]), np.array([0.5, 0.5]), 0.001) == (None, "noncentral chi-square")
