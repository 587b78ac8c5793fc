"""The log-spaced latency grid: every value lies in its bin, binned quantiles are within
RELATIVE_ERROR of numpy's (linear) quantiles of the rows, and binned intervals contain the
order-statistic intervals of the rows."""

import numpy as np
import pytest

from airflow_evalguard.stats.log_bins import (
    MIN_MS,
    RELATIVE_ERROR,
    bin_index,
    binned_quantiles,
    high_edge,
    low_edge,
    midpoint,
)
from airflow_evalguard.stats.order_stat import quantiles

SPECS = [(0.5, 0.05), (0.9, 0.05), (0.99, 0.05)]


def test_every_value_lies_in_its_bin():
    x = np.random.default_rng(0).lognormal(3, 2, size=20_000)
    idx = bin_index(x)
    assert (low_edge(idx) <= x * (1 + 1e-12)).all() and (x < high_edge(idx) * (1 + 1e-12)).all()
    assert (idx[x >= MIN_MS] >= 1).all()


def test_below_the_grid_is_bin_zero():
    assert list(bin_index(np.array([0.0, MIN_MS / 2]))) == [0, 0]
    assert float(low_edge(0)) == 0.0 and float(high_edge(0)) == MIN_MS
    assert float(midpoint(0)) == MIN_MS / 2
    assert float(midpoint(5)) == pytest.approx(np.sqrt(float(low_edge(5)) * float(high_edge(5))))  # geometric


@pytest.mark.parametrize("seed", range(4))
def test_binned_quantiles_match_the_rows(seed):
    x = np.random.default_rng(seed).lognormal(4, 1, size=3_000 + 1000 * seed)
    bins, counts = np.unique(bin_index(x), return_counts=True)
    binned = binned_quantiles(bins, counts, SPECS)
    rows = quantiles(x, SPECS)
    for got, row, (q, _) in zip(binned, rows, SPECS, strict=True):
        assert got.n == len(x)
        assert got.value == pytest.approx(np.quantile(x, q), rel=RELATIVE_ERROR)
        assert got.ci_low <= row.ci_low and got.ci_high >= row.ci_high  # widened to bin edges


def test_shards_add_bin_by_bin():
    x = np.random.default_rng(9).lognormal(2, 1, size=5_000)
    idx = bin_index(x)
    whole = binned_quantiles(*np.unique(idx, return_counts=True), SPECS)
    halves = [np.unique(part, return_counts=True) for part in (idx[:2000], idx[2000:])]
    shards = binned_quantiles(np.concatenate([b for b, _ in halves]), np.concatenate([c for _, c in halves]), SPECS)
    assert shards == whole


def test_empty_histogram():
    (estimate,) = binned_quantiles(np.array([], dtype=np.int64), np.array([]), [(0.99, 0.05)])
    assert np.isnan(estimate.value) and estimate.n == 0 and estimate.ci_low is None
