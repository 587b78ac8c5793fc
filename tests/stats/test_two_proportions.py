"""Newcombe's hybrid score interval for a difference of independent proportions."""

import numpy as np
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep

from airflow_evalguard.stats.two_proportions import newcombe_diff_ci


@pytest.mark.parametrize(
    "x_b,n_b,x_c,n_c",
    [
        (56, 70, 48, 80),
        (9, 10, 3, 10),
        (0, 50, 5, 50),
        (50, 50, 45, 50),
        (360, 3000, 390, 3000),
        (1, 7, 0, 9),
    ],
)
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_matches_statsmodels_newcomb(x_b, n_b, x_c, n_c, alpha):
    delta, lo, hi = newcombe_diff_ci(x_b, n_b, x_c, n_c, alpha)
    # statsmodels orders the difference as count1/nobs1 - count2/nobs2: candidate first.
    s_lo, s_hi = confint_proportions_2indep(x_c, n_c, x_b, n_b, method="newcomb", compare="diff", alpha=alpha)
    assert delta == pytest.approx(x_c / n_c - x_b / n_b)
    assert (lo, hi) == (pytest.approx(s_lo, abs=1e-12), pytest.approx(s_hi, abs=1e-12))


def test_newcombe_published_example():
    # Newcombe (1998) Table II, example (a): 56/70 vs 48/80 -> difference 0.2000, CI 0.0524 to 0.3339.
    delta, lo, hi = newcombe_diff_ci(48, 80, 56, 70, 0.05)
    assert (round(delta, 4), round(lo, 4), round(hi, 4)) == (0.2, 0.0524, 0.3339)


def test_coverage_near_nominal():
    rng = np.random.default_rng(3)
    p_b, p_c, n = 0.12, 0.15, 400
    hits = 0
    sims = 2000
    for _ in range(sims):
        _, lo, hi = newcombe_diff_ci(rng.binomial(n, p_b), n, rng.binomial(n, p_c), n, 0.05)
        hits += lo <= p_c - p_b <= hi
    assert 0.93 <= hits / sims <= 0.97
