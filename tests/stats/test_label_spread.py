"""Per-item spread statistics against scipy's entropy and hand counts; the scale's largest
disagreement against its definition (half the labels at each end / Gini-Simpson of a uniform mix)."""

import numpy as np
import pytest
from scipy.stats import entropy

from airflow_evalguard.stats.label_spread import discrimination, max_disagreement, spread_from_sums, spread_statistics

# items x values (values 0, 1, 2): how many labelers gave each value
COUNTS = np.array([[3, 0, 0], [1, 1, 1], [2, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=float)
GOLD = np.array([0, 2, -1, 0, -1])


def test_per_item_statistics():
    stats = spread_statistics(COUNTS, GOLD)
    assert stats.shape == (5, 5)
    pairable, item_entropy, unanimous, correct, gold_n = stats.T
    assert list(pairable) == [1, 1, 1, 0, 0]  # an item needs two labels
    expected_entropy = [entropy(row, base=2) if row.sum() >= 2 else 0.0 for row in COUNTS]
    assert item_entropy == pytest.approx(expected_entropy)
    assert item_entropy[1] == pytest.approx(np.log2(3))
    assert list(unanimous) == [1, 0, 0, 0, 0]
    assert list(correct) == [3, 1, 0, 1, 0]  # labels equal to gold, on gold items only (single labels too)
    assert list(gold_n) == [3, 3, 0, 1, 0]


def test_without_gold_the_gold_columns_are_zero():
    stats = spread_statistics(COUNTS, None)
    assert not stats[:, 3:].any()


def test_ratios_of_sums():
    sums = spread_statistics(COUNTS, GOLD).sum(axis=0)
    shares = spread_from_sums(sums)
    assert shares["entropy"][0] == pytest.approx((0 + np.log2(3) + entropy([2, 1], base=2)) / 3)
    assert shares["unanimous_share"][0] == pytest.approx(1 / 3)
    assert shares["gold_accuracy"][0] == pytest.approx(5 / 7)
    empty = spread_from_sums(np.zeros((2, 5)))  # rows of replicates; nothing pairable: NaN, no warning
    assert np.isnan(empty["entropy"]).all() and empty["entropy"].shape == (2,)


def test_max_disagreement_interval_is_half_the_labels_at_each_end():
    # D_e of n labels, half at 1 and half at 5: pairs across ends differ by 4, so
    # D_e = 16 * (n/2)**2 * 2 / (n * (n - 1)) -> 8 as n grows, which is (5 - 1)**2 / 2.
    n = 100_000
    d_e = 16 * (n / 2) ** 2 * 2 / (n * (n - 1))
    assert max_disagreement(np.array([1, 2, 3, 4, 5]), numeric=True) == pytest.approx(d_e, rel=1e-4)
    assert np.isnan(max_disagreement(np.array([]), numeric=True))


def test_max_disagreement_nominal_is_gini_simpson_of_a_uniform_mix():
    shares = np.full(4, 0.25)
    assert max_disagreement(np.array(["a", "b", "c", "d"]), numeric=False) == pytest.approx(1 - np.sum(shares**2))
    assert np.isnan(max_disagreement(np.array(["a"]), numeric=False))


def test_discrimination():
    assert discrimination(np.array([1.0, 2.0]), np.array([3.0, 2.0]), 4.0) == pytest.approx([0.5, 0.0])
    assert np.isnan(discrimination(np.array([1.0]), np.array([1.0]), float("nan"))[0])
