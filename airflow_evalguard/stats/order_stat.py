"""Quantiles with distribution-free confidence intervals from order statistics.

Point estimate: numpy's default (`method="linear"`, Hyndman & Fan type 7). Interval: the exact
binomial order-statistic interval, equal-tailed, with the indices scipy.stats.quantile_test uses
for its two-sided confidence interval. It needs no distributional assumption and, unlike the
bootstrap, keeps its coverage in the tail (bootstrap p99 intervals cover ~0.70 at n = 100). The
price: below a minimum n the interval cannot be bounded (368 requests for a two-sided 95% p99).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import binom


@dataclass(frozen=True)
class QuantileEstimate:
    q: float
    value: float
    ci_low: float | None  # None: the sample is too small to bound it
    ci_high: float | None
    n: int

    @property
    def bounded(self) -> bool:
        return self.ci_low is not None and self.ci_high is not None


def ci_indices(n: int, q: float, alpha: float) -> tuple[int | None, int | None]:
    """0-based order-statistic indices of the two-sided 1 - alpha interval (None: unbounded)."""

    if n == 0:
        return None, None
    lo = int(binom.ppf(alpha / 2, n, q)) - 1
    hi = int(binom.isf(alpha / 2, n, q))
    return (lo if lo >= 0 else None), (hi if hi < n else None)


def ci_indices_many(n: int, specs: list[tuple[float, float]]) -> list[tuple[int | None, int | None]]:
    """`ci_indices` for many (q, alpha) specs of one sample in one vectorised binomial call (the
    sizing reads hundreds of levels per sample; one scipy call each dominated its time)."""
    if n == 0 or not specs:
        return [(None, None)] * len(specs)
    levels, alphas = (np.array(column, dtype=np.float64) for column in zip(*specs, strict=True))
    lows = binom.ppf(alphas / 2, n, levels).astype(np.int64) - 1
    highs = binom.isf(alphas / 2, n, levels).astype(np.int64)
    return [(int(lo) if lo >= 0 else None, int(hi) if hi < n else None) for lo, hi in zip(lows, highs, strict=True)]


def n_required(q: float, alpha: float) -> int:
    """Smallest n for which the two-sided interval is bounded on both sides."""
    # Upper bound exists when P(B >= n) = q^n <= alpha/2, lower when (1-q)^n <= alpha/2.
    need = max(math.log(alpha / 2) / math.log(q), math.log(alpha / 2) / math.log(1 - q))
    n = max(int(math.floor(need)) - 2, 1)
    while ci_indices(n, q, alpha)[0] is None or ci_indices(n, q, alpha)[1] is None:
        n += 1
    return n


def _linear_positions(n: int, q: float) -> tuple[int, int, float]:
    h = (n - 1) * q
    lo = int(math.floor(h))
    return lo, min(lo + 1, n - 1), h - lo


def quantiles(values: np.ndarray, specs: list[tuple[float, float]]) -> list[QuantileEstimate]:
    """Point estimates and intervals for several (quantile, alpha) pairs of one group, with one
    np.partition (O(n)) instead of a sort: only the order statistics needed are put in place."""
    x = np.asarray(values, dtype=np.float64)
    n = len(x)
    if n == 0:
        return [QuantileEstimate(q, float("nan"), None, None, 0) for q, _ in specs]
    plan = []
    kth: set[int] = set()
    for (q, _), (lo, hi) in zip(specs, ci_indices_many(n, specs), strict=True):
        a, b, frac = _linear_positions(n, q)
        plan.append((q, a, b, frac, lo, hi))
        kth.update(k for k in (a, b, lo, hi) if k is not None)
    part = np.partition(x, sorted(kth))
    out = []
    for q, a, b, frac, lo, hi in plan:
        value = part[a] + (part[b] - part[a]) * frac
        out.append(
            QuantileEstimate(
                q, float(value), None if lo is None else float(part[lo]), None if hi is None else float(part[hi]), n
            )
        )
    return out


def ratio_interval(num: QuantileEstimate, den: QuantileEstimate) -> tuple[float | None, float | None]:
    """Conservative interval for num/den - 1 from two intervals, each computed at 1 - alpha/2
    (Bonferroni: joint coverage >= 1 - alpha, valid for independent or dependent samples)."""
    # the bounds themselves, not `bounded`, so the type checker sees they are floats
    if num.ci_low is None or num.ci_high is None or den.ci_low is None or den.ci_high is None or den.ci_low <= 0:
        return None, None
    return num.ci_low / den.ci_high - 1, num.ci_high / den.ci_low - 1


def difference_interval(a: QuantileEstimate, b: QuantileEstimate) -> tuple[float | None, float | None]:
    """Conservative interval for a - b from two intervals each at 1 - alpha/2 (as above)."""
    if a.ci_low is None or a.ci_high is None or b.ci_low is None or b.ci_high is None:
        return None, None
    return a.ci_low - b.ci_high, a.ci_high - b.ci_low
