"""Krippendorff's alpha against the published worked example and the `krippendorff` package."""

import numpy as np
import pytest

from airflow_evalguard.stats.krippendorff import (
    alpha_from_long,
    count_matrix,
    interval_statistics,
    item_statistics,
    krippendorff_alpha,
)

krippendorff = pytest.importorskip("krippendorff")

NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section E: 4 observers x 12 units.
WORKED = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849}


def _long(matrix):
    coders, units = matrix.shape
    return np.tile(np.arange(units), coders), matrix.ravel()


@pytest.mark.parametrize("level", sorted(PUBLISHED))
def test_worked_example_matches_published_values(level):
    items, labels = _long(WORKED)
    est = alpha_from_long(items, labels, level)
    assert round(est.value, 3) == PUBLISHED[level]
    # unit 12 has a single value: it is not pairable, and the 40 pairable values are the paper's n
    assert est.unpairable_items == 1
    assert est.pairable_values == 40


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_agrees_with_krippendorff_package_on_random_data_with_missing(level, seed):
    rng = np.random.default_rng(seed)
    coders, units = rng.integers(2, 7), rng.integers(20, 300)
    truth = rng.integers(1, 6, units)
    data = np.clip(truth[None, :] + rng.integers(-2, 3, (coders, units)), 1, 5).astype(float)
    data[rng.random(data.shape) < 0.3] = NAN
    items, labels = _long(data)
    ours = alpha_from_long(items, labels, level).value
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert ours == pytest.approx(theirs, abs=1e-10)


def test_continuous_interval_ratings_use_moments():
    rng = np.random.default_rng(5)
    # small: the reference package builds a units x V x V array
    data = rng.normal(size=(3, 60)) + rng.normal(size=60)[None, :]
    data[0, :10] = NAN
    items, labels = _long(data)
    assert alpha_from_long(items, labels, "interval").value == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="interval"), abs=1e-10
    )


def test_string_labels_nominal_and_ordered_scale():
    items = [0, 0, 1, 1, 2, 2, 3, 3]
    labels = ["low", "low", "high", "mid", "mid", "mid", "high", "high"]
    order = ["low", "mid", "high"]
    numeric = alpha_from_long(items, [order.index(v) for v in labels], "ordinal").value
    assert alpha_from_long(items, labels, "ordinal", values_order=order).value == pytest.approx(numeric)
    with pytest.raises(ValueError, match="must be numbers"):
        alpha_from_long(items, labels, "ordinal")


def test_bootstrap_interval_brackets_estimate_and_is_seeded():
    rng = np.random.default_rng(0)
    truth = rng.integers(1, 6, 400)
    data = np.clip(truth[None, :] + rng.integers(-1, 2, (3, 400)), 1, 5).astype(float)
    items, labels = _long(data)
    a = alpha_from_long(items, labels, "ordinal", n_boot=500, seed=7)
    b = alpha_from_long(items, labels, "ordinal", n_boot=500, seed=7)
    assert a.ci_low < a.value < a.ci_high
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)


def test_bootstrap_interval_covers_the_population_alpha():
    """Coverage of the 95% item-bootstrap interval over repeated samples from one population."""
    rng = np.random.default_rng(11)
    big_truth = rng.integers(1, 6, 200_000)
    big = np.clip(big_truth[None, :] + rng.integers(-1, 2, (3, 200_000)), 1, 5).astype(float)
    items, labels = _long(big)
    population = alpha_from_long(items, labels, "interval").value
    hits, reps = 0, 200
    for r in range(reps):
        pick = rng.choice(200_000, 300, replace=False)
        sub = big[:, pick]
        est = alpha_from_long(*_long(sub), "interval", n_boot=400, seed=r)
        hits += est.ci_low <= population <= est.ci_high
    assert 0.90 <= hits / reps <= 0.99


def test_undefined_without_pairable_values():
    counts = count_matrix(np.array([0, 1]), np.array([0, 1]), 2, 2)  # one rating per item
    est = krippendorff_alpha(item_statistics(counts, np.array([1.0, 2.0]), "nominal"))
    assert np.isnan(est.value)
    assert est.pairable_items == 0 and est.unpairable_items == 2


def test_interval_statistics_from_rows_equal_the_count_matrix_path():
    rng = np.random.default_rng(7)
    items = rng.integers(0, 40, 300)
    ratings = rng.integers(1, 8, 300).astype(float)
    values, codes = np.unique(ratings, return_inverse=True)
    via_counts = item_statistics(count_matrix(items, codes, 40, len(values)), values, "interval")
    via_rows = interval_statistics(items, ratings, 40)
    np.testing.assert_allclose(via_rows.per_item, via_counts.per_item)
    assert (via_rows.pairable_items, via_rows.unpairable_items) == (
        via_counts.pairable_items,
        via_counts.unpairable_items,
    )


def _interval_alpha_by_definition(items, ratings):
    """Krippendorff (2011): D_o from within-item ordered pairs weighted 1/(m_u - 1), D_e from all pairable values."""
    groups = [ratings[items == item] for item in np.unique(items)]
    groups = [group for group in groups if len(group) >= 2]
    pooled = np.concatenate(groups)
    n = len(pooled)
    observed = sum(((group[:, None] - group[None, :]) ** 2).sum() / (len(group) - 1) for group in groups) / n
    expected = 2 * (n * (pooled**2).sum() - pooled.sum() ** 2) / (n * (n - 1))
    return 1 - observed / expected


def test_continuous_ratings_on_many_items_need_no_items_by_values_matrix():
    # 58,000 items with continuous scores once asked count_matrix for 50.6 GiB; now O(rows).
    rng = np.random.default_rng(3)
    truth = rng.normal(size=58_000)
    items = np.repeat(np.arange(58_000), 3)
    ratings = np.repeat(truth, 3) + rng.normal(scale=0.5, size=items.size)
    estimate = alpha_from_long(items, ratings, "interval", n_boot=200, seed=1)
    assert estimate.value == pytest.approx(_interval_alpha_by_definition(items[:3000], ratings[:3000]), abs=0.05)
    assert estimate.ci_low < estimate.value < estimate.ci_high
    small = alpha_from_long(items[:3000], ratings[:3000], "interval")
    assert small.value == pytest.approx(_interval_alpha_by_definition(items[:3000], ratings[:3000]), rel=1e-9)


def test_oversized_statistics_are_refused_before_allocation():
    with pytest.raises(ValueError, match="GiB of agreement statistics"):
        count_matrix(np.zeros(1, dtype=int), np.zeros(1, dtype=int), 2**20, 2**10)
    with pytest.raises(ValueError, match="distinct values at level 'ordinal'"):
        alpha_from_long(np.repeat(np.arange(60_000), 2), np.arange(120_000, dtype=float), "ordinal")
