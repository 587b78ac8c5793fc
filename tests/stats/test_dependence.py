"""The permutation test on the field x arm table draws the null of shuffling arm labels."""

import numpy as np
import pytest
from scipy.stats import binom, chi2_contingency

from airflow_evalguard.stats.dependence import PERMUTATION_MAX_N, chi2_statistic, dependence_test


def _table(field, arm, n_field, n_arm):
    return np.bincount(field * n_arm + arm, minlength=n_field * n_arm).reshape(n_field, n_arm)


def test_statistic_and_chi2_p_equal_scipy():
    rng = np.random.default_rng(1)
    n = PERMUTATION_MAX_N + 1000
    field, arm = rng.integers(0, 4, n), (rng.random(n) < 0.5 + 0.01 * (rng.integers(0, 4, n) == 0)).astype(int)
    table = _table(field, arm, 4, 2)
    ref = chi2_contingency(table, correction=False)
    v, p, method = dependence_test(table, n_perm=99, seed=0)
    assert method == "chi2"
    assert float(chi2_statistic(table)) == pytest.approx(ref.statistic, rel=1e-10)
    assert p == pytest.approx(ref.pvalue, rel=1e-9)
    assert v == pytest.approx(np.sqrt(ref.statistic / n), rel=1e-10)


def test_table_permutation_p_agrees_with_shuffling_labels():
    """A sparse table (where chi-square is off): the p-value from random tables with the observed
    margins matches the one from shuffling the arm labels of the units, within Monte Carlo error."""
    rng = np.random.default_rng(2)
    n = 60
    field = rng.choice(6, n, p=[0.4, 0.3, 0.1, 0.1, 0.05, 0.05])
    arm = (rng.random(n) < np.where(field >= 3, 0.8, 0.45)).astype(int)
    table = _table(field, arm, 6, 2)
    _, p_table, method = dependence_test(table, n_perm=4000, seed=3)
    assert method == "permutation"
    observed = chi2_statistic(table)
    shuffled = np.mean(
        [chi2_statistic(_table(field, rng.permutation(arm), 6, 2)) >= observed - 1e-9 for _ in range(4000)]
    )
    assert abs(p_table - shuffled) < 4 * np.sqrt(shuffled * (1 - shuffled) / 2000) + 1e-3


def test_null_rejection_rate_at_most_alpha():
    rng = np.random.default_rng(4)
    runs, rejections = 400, 0
    for i in range(runs):
        field, arm = rng.integers(0, 5, 80), rng.integers(0, 2, 80)
        rejections += dependence_test(_table(field, arm, 5, 2), n_perm=199, seed=i)[1] < 0.05
    assert rejections <= binom.ppf(0.99, runs, 0.05)


def test_empty_levels_and_constant_fields():
    assert dependence_test(np.array([[5, 5], [0, 0]]), n_perm=99, seed=0) == (0.0, 1.0, "constant")
    v, p, _ = dependence_test(np.array([[20, 0], [0, 0], [0, 20]]), n_perm=99, seed=0)
    assert v == pytest.approx(1.0) and p == pytest.approx(1 / 100)
