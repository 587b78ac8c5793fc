"""Latency histograms on one fixed log-spaced grid: the sufficient statistic of a tail.

Bin i >= 1 holds [MIN_MS * RATIO**(i-1), MIN_MS * RATIO**i); bin 0 holds [0, MIN_MS). With RATIO
1.01 every quantile read from the grid is within 1% of the one read from the rows (the true
order statistic lies in the reported bin), and order-statistic intervals widen to the bin edges,
so they contain the row interval and keep at least its coverage. Histograms from different
shards add up bin by bin: the aggregation can run anywhere.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from airflow_evalguard.stats.order_stat import QuantileEstimate, ci_indices_many

MIN_MS = 0.01
RATIO = 1.01
RELATIVE_ERROR = RATIO - 1  # bound on |binned quantile / row quantile - 1|
_LOG_RATIO = math.log(RATIO)


def bin_index(latency_ms: ArrayLike) -> NDArray[np.int64]:
    x = np.asarray(latency_ms, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        idx = np.floor(np.log(x / MIN_MS) / _LOG_RATIO).astype(np.int64) + 1
    return np.where(x < MIN_MS, 0, idx)


def low_edge(idx: ArrayLike) -> NDArray[np.float64]:
    idx_arr = np.asarray(idx)
    return np.where(idx_arr <= 0, 0.0, MIN_MS * RATIO ** (idx_arr - 1.0))


def high_edge(idx: ArrayLike) -> NDArray[np.float64]:
    return MIN_MS * RATIO ** np.asarray(idx, dtype=float)


def midpoint(idx: ArrayLike) -> NDArray[np.float64]:
    idx_arr = np.asarray(idx)
    return np.where(idx_arr <= 0, MIN_MS / 2, MIN_MS * RATIO ** (idx_arr - 0.5))


def binned_quantiles(bins: np.ndarray, counts: np.ndarray, specs: list[tuple[float, float]]) -> list[QuantileEstimate]:
    """Quantiles (numpy's linear positions, read on the grid) and order-statistic intervals widened
    to bin edges, from `counts` per bin index (any order; repeated bins add up)."""
    bins, counts = np.asarray(bins, dtype=np.int64), np.asarray(counts, dtype=np.float64)
    order = np.argsort(bins, kind="stable")
    bins, counts = bins[order], counts[order]
    cum = np.cumsum(counts)
    n = int(round(cum[-1])) if len(cum) else 0
    if n == 0:
        return [QuantileEstimate(q, float("nan"), None, None, 0) for q, _ in specs]

    def bin_of(k: int) -> int:  # the bin holding the k-th (0-based) order statistic
        return int(bins[np.searchsorted(cum, k, side="right")])

    out = []
    for (q, _), (lo, hi) in zip(specs, ci_indices_many(n, specs), strict=True):
        h = (n - 1) * q
        a = int(math.floor(h))
        b = min(a + 1, n - 1)
        ma, mb = float(midpoint(bin_of(a))), float(midpoint(bin_of(b)))
        value = ma + (mb - ma) * (h - a)
        out.append(
            QuantileEstimate(
                q,
                value,
                None if lo is None else float(low_edge(bin_of(lo))),
                None if hi is None else float(high_edge(bin_of(hi))),
                n,
            )
        )
    return out
