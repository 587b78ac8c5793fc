"""A metric's trend across ordered batches, with a bootstrap interval.

Batches are independent samples of items, so replicate b of every batch (each batch resampled
on its own) makes one replicate of the whole sequence; the least-squares line through it gives
one replicate of the trend. The trend is reported as the fitted change from the first batch to
the last (slope x (batches - 1)), in the metric's own units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from airflow_evalguard.stats.item_bootstrap import percentile_interval


@dataclass(frozen=True)
class Trend:
    change: float  # fitted last - fitted first
    ci_low: float
    ci_high: float
    first: float
    last: float
    batches: int

    @property
    def rising(self) -> bool:
        return bool(np.isfinite(self.ci_low) and self.ci_low > 0)

    @property
    def falling(self) -> bool:
        return bool(np.isfinite(self.ci_high) and self.ci_high < 0)


def fitted_change(series: np.ndarray) -> np.ndarray:
    """Least-squares fitted change over the last axis (batches); NaN batches are left out."""
    y = np.atleast_2d(np.asarray(series, dtype=float))
    k = y.shape[1]
    x = np.broadcast_to(np.arange(k, dtype=float), y.shape)
    ok = np.isfinite(y)
    n = ok.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        xm = np.where(ok, x, 0).sum(axis=1) / n
        ym = np.where(ok, y, 0).sum(axis=1) / n
        dx = np.where(ok, x - xm[:, None], 0)
        dy = np.where(ok, y - ym[:, None], 0)
        slope = (dx * dy).sum(axis=1) / (dx * dx).sum(axis=1)
    return np.where(n >= 2, slope * (k - 1), np.nan)


def trend(point: np.ndarray, replicates: np.ndarray, alpha: float) -> Trend:
    """`point`: one value per batch; `replicates`: (n_boot x batches)."""

    point = np.asarray(point, dtype=float)
    change = float(fitted_change(point)[0])
    lo, hi = percentile_interval(fitted_change(replicates), alpha) if len(replicates) else (np.nan, np.nan)
    return Trend(change, lo, hi, float(point[0]), float(point[-1]), len(point))
