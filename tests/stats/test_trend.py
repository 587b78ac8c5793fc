"""The fitted change across batches against numpy's least-squares line (np.polyfit), and its
percentile interval against np.quantile of the same replicate changes."""

import numpy as np
import pytest

from airflow_evalguard.stats.trend import fitted_change, trend


def _polyfit_change(series):
    x = np.arange(len(series), dtype=float)
    ok = np.isfinite(series)
    if ok.sum() < 2:
        return np.nan
    return np.polyfit(x[ok], series[ok], 1)[0] * (len(series) - 1)


@pytest.mark.parametrize("seed", range(5))
def test_fitted_change_is_the_least_squares_slope_times_span(seed):
    rng = np.random.default_rng(seed)
    series = rng.normal(0, 1, size=(6, 4 + seed)) + np.arange(4 + seed) * 0.3
    series[0, 1] = np.nan  # a missing batch is left out, the others keep their positions
    expected = [_polyfit_change(row) for row in series]
    assert fitted_change(series) == pytest.approx(expected, rel=1e-9)


def test_fitted_change_needs_two_batches():
    assert np.isnan(fitted_change(np.array([[1.0, np.nan, np.nan]]))[0])
    assert fitted_change(np.array([1.0, 2.0, 3.0]))[0] == pytest.approx(2.0)


def test_trend_point_and_interval():
    rng = np.random.default_rng(7)
    point = np.array([0.70, 0.72, 0.75, 0.79])
    replicates = point + rng.normal(0, 0.01, size=(500, 4))
    result = trend(point, replicates, alpha=0.1)
    changes = [_polyfit_change(row) for row in replicates]
    assert result.change == pytest.approx(_polyfit_change(point))
    assert (result.ci_low, result.ci_high) == pytest.approx(tuple(np.quantile(changes, [0.05, 0.95])), rel=1e-9)
    assert (result.first, result.last, result.batches) == (0.70, 0.79, 4)
    assert result.rising and not result.falling


def test_trend_without_replicates_has_no_interval():
    result = trend(np.array([3.0, 2.0, 1.0]), np.empty((0, 3)), alpha=0.05)
    assert result.change == pytest.approx(-2.0)
    assert np.isnan(result.ci_low) and np.isnan(result.ci_high)
    assert not result.rising and not result.falling
