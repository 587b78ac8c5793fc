"""How many requests would settle a decision read from order-statistic intervals of a quantile.

The exact binomial interval of the q-quantile runs from the order statistic of 0-based rank
lo(n) = F^-1_Bin(n, q)(alpha/2) - 1 to that of rank hi(n) = F^-1_Bin(n, q)(1 - alpha/2) (as
`order_stat.ci_indices`): its end points sit at the levels lo(n)/(n - 1) and hi(n)/(n - 1), about
z_{1-alpha/2} sqrt(q(1 - q)/n) either side of q, so its width shrinks as 1/sqrt(n) where the
density is smooth (David & Nagaraja 2003, Order Statistics, 3rd ed., secs. 7.1 and 10.3; Hahn &
Meeker 1991, Statistical Intervals, ch. 5). The order statistic at level p is itself asymptotically
normal with sd sqrt(p(1 - p)/n) / f(x_p) (Bahadur 1966, Ann. Math. Statist. 37).

A p99 tail is often not smooth: a few cold starts put p99 of all requests where the density is
thin, so its interval is wide but its lower end, deep in the warm bulk, hardly moves; a bare
1/sqrt(n) rule on the estimate's sd then overstates the data needed (measured: 99% power where
80% was stated). So `Reading` keeps the sample's own quantile function across the interval
(smoothed, see `read`; and the sd of each order statistic from its own interval), and the
bounds at k times the data are read from it at the levels lo(kn)/(kn - 1) and hi(kn)/(kn - 1),
with sds shrunk by sqrt(k): the plug-in (empirical quantile function as the truth),
location-shifted in logs to the effect sized for.

A decision is unsettled, by the gate rule, while its lower bound is at or below the band's low edge
and its upper bound at or above the high edge (a ratio: 0 and log(1 + fail_at); an SLO: 0 and 0).
`scale_to_settle` returns the smallest k >= 1 at which that chance is at most 1 - power (the two
events' Frechet bound, min of the two, which is conservative). tests/calibration/
test_power_latency_srm.py simulates the stated sizes.

Histograms (`widening` > 0): the check's interval end is the order statistic moved out to its
bin's edge, U x (bin width) with U uniform: half a bin on average (the widening) and variance
(bin width)^2 / 12 on each end (`Reading.offset_variance`), which no k shrinks; the sds are read
with the bin floor taken off; the reading is stretched to the interval the check reported
(`_to_observed_width`). tests/calibration/test_power_latency_histogram.py and
test_power_embed_latency.py simulate the sizes from histograms.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri
from scipy.stats import multivariate_normal

from airflow_evalguard.stats.order_stat import QuantileEstimate, ci_indices

MAX_SCALE = 1e6  # beyond a million times the data at hand, no size is stated
GRID = 41  # levels read across the current interval
SD_ALPHA = 0.05  # the interval each order statistic's sd is read from (its width / 2z)
SMOOTHING = 15  # points each level's value is averaged over

Estimator = Callable[[list[tuple[float, float]]], list[QuantileEstimate]]
# (num level, num log value, den level, den log value) -> correlation of the two order statistics
Correlation = Callable[[float, float, float, float], float]


@dataclass(frozen=True)
class Reading:
    """One sample's quantile function across its current interval of the q-quantile (in logs)."""

    n: int
    levels: np.ndarray
    log_values: np.ndarray
    log_sds: np.ndarray  # sd of the log order statistic at each level, at n
    widening: float = 0.0  # log units each interval end sits beyond its order statistic (histograms)

    @property
    def offset_variance(self) -> float:
        """Variance of where an interval end sits in its bin: a histogram's end is its order
        statistic moved out to the bin edge, by U x (bin width) with U uniform on [0, 1] (mean half a
        bin, the widening; variance (2 widening)^2 / 12), independent of the other ends (rows: 0)."""
        return (2 * self.widening) ** 2 / 12

    def at(self, level: float) -> float:
        """The (smoothed) log quantile at `level`."""
        return float(np.interp(level, self.levels, self.log_values))

    def bound(self, q: float, alpha: float, scale: float, side: int) -> tuple[float, float, float] | None:
        """(log value, sd, level) of the interval's low (side 0) or high (side 1) end at scale x n."""
        n_scaled = max(round(self.n * scale), 2)
        rank = ci_indices(n_scaled, q, alpha)[side]
        if rank is None:
            return None
        level = rank / (n_scaled - 1)
        outward = -self.widening if side == 0 else self.widening
        return (
            float(np.interp(level, self.levels, self.log_values)) + outward,
            float(np.interp(level, self.levels, self.log_sds)) / math.sqrt(scale),
            level,
        )


def read(estimator: Estimator, n: int, q: float, alpha: float, widening: float = 0.0) -> Reading | None:
    """Read the quantile function across the current 1 - alpha interval, smoothed (None: unbounded,
    or a non-positive value, which a log cannot hold).

    The raw quantile function jumps from one order statistic to the next: its local slope is about
    as noisy as one spacing (an exponential variable), and it would decide the size. So each level's
    value is the mean log quantile over SMOOTHING equal-probability points of N(p, p(1 - p)/n), the
    sampling spread of the level itself: a normal version of the Harrell & Davis (1982, Biometrika
    69) weights. Each level's sd comes from its own exact interval (width / 2z)."""
    low, high = ci_indices(n, q, alpha)
    if low is None or high is None or n < 2:
        return None
    levels = np.unique(np.append(np.linspace(low / (n - 1), high / (n - 1), GRID), q))
    offsets = ndtri((np.arange(SMOOTHING) + 0.5) / SMOOTHING)
    spread = np.sqrt(levels * (1 - levels) / n)
    around = np.clip(levels[:, None] + offsets[None, :] * spread[:, None], 0.5 / n, 1 - 0.5 / n)
    values = np.array([e.value for e in estimator([(float(p), SD_ALPHA) for p in around.ravel()])])
    if not np.all(np.isfinite(values)) or values.min() <= 0:
        return None
    z = float(ndtri(1 - SD_ALPHA / 2))
    sds = np.array([_log_sd(e, z, widening) for e in estimator([(float(p), SD_ALPHA) for p in levels])])
    known = np.isfinite(sds)
    if not known.any():
        return None
    # The highest levels may be unbounded at this n: carry the nearest known sd outward.
    sds = np.interp(levels, levels[known], sds[known])
    log_values = np.log(values).reshape(around.shape).mean(axis=1)
    if widening > 0:
        log_values = _to_observed_width(estimator([(q, alpha)])[0], levels, log_values, q, widening)
    return Reading(n, levels, log_values, sds, widening)


def _to_observed_width(
    estimate: QuantileEstimate, levels: np.ndarray, log_values: np.ndarray, q: float, widening: float
) -> np.ndarray:
    """A histogram's quantile function stretched about q so that its interval, moved out by the
    widening, is as wide as the interval the check reported. Midpoints cannot tell where in its bin
    each order statistic sits; a histogram left unsettled is one whose ends fell far out in their
    bins (its interval is then wider than its midpoints say), and its tail is then tighter than the
    truth's: read from the midpoints alone, sizes fell short (0.71 of 150 where 0.80 was stated)."""
    if estimate.ci_low is None or estimate.ci_high is None or estimate.ci_low <= 0:
        return log_values
    observed = math.log(estimate.ci_high) - math.log(estimate.ci_low) - 2 * widening
    read_width = float(log_values[-1] - log_values[0])
    if observed <= read_width or read_width <= 0:
        return log_values  # stretched, never squeezed: a narrower interval says nothing new
    centre = float(np.interp(q, levels, log_values))
    return centre + (log_values - centre) * observed / read_width


def _log_sd(estimate: QuantileEstimate, z: float, widening: float = 0.0) -> float:
    """The sd of a log order statistic from its interval (width / 2z); NaN when unbounded. A
    histogram's interval ends sit `widening` beyond their order statistics on average (half a bin
    each), which is no sampling spread: it is taken off the width first (else the sd is overstated,
    about 7% at a p99 from 3,000 requests on the 1% grid)."""
    if estimate.ci_low is None or estimate.ci_high is None or estimate.ci_low <= 0:
        return math.nan
    return max(math.log(estimate.ci_high) - math.log(estimate.ci_low) - 2 * widening, 0.0) / (2 * z)


@dataclass(frozen=True)
class Comparison:
    """log(num's quantile / den's quantile), or log(num's quantile / target) when den is None,
    judged at interval level 1 - alpha per side (as `order_stat.ratio_interval` combines them)."""

    num: Reading
    den: Reading | None
    q: float
    alpha: float
    log_target: float = 0.0
    correlation: Correlation | None = None  # None: independent samples

    def bounds(self, scale: float) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """((mean, sd) of the low bound, (mean, sd) of the high bound) at scale x the data."""
        num_low, num_high = (self.num.bound(self.q, self.alpha, scale, side) for side in (0, 1))
        if num_low is None or num_high is None:
            return None
        if self.den is None:
            low_sd, high_sd = (math.sqrt(end[1] ** 2 + self.num.offset_variance) for end in (num_low, num_high))
            return (num_low[0] - self.log_target, low_sd), (num_high[0] - self.log_target, high_sd)
        den_low, den_high = (self.den.bound(self.q, self.alpha, scale, side) for side in (0, 1))
        if den_low is None or den_high is None:
            return None
        offsets = self.num.offset_variance + self.den.offset_variance
        return self._minus(num_low, den_high, offsets), self._minus(num_high, den_low, offsets)

    def end_correlation(self, scale: float) -> float:
        """Correlation of the interval's low and high ends at scale x the data: within a sample,
        order statistics at levels p1 <= p2 correlate as sqrt(p1 (1 - p2) / (p2 (1 - p1))) (David &
        Nagaraja 2003, sec. 10.3); across num and den through `correlation` (0 when independent)."""
        ends = [self.num.bound(self.q, self.alpha, scale, side) for side in (0, 1)]
        if self.den is not None:
            ends += [self.den.bound(self.q, self.alpha, scale, side) for side in (0, 1)]
        if any(end is None for end in ends):
            return 0.0
        num_low, num_high = ends[0], ends[1]
        assert num_low is not None and num_high is not None  # noqa: S101 - checked just above
        covariance = _within(num_low, num_high)  # the bin offsets are independent: no covariance
        var_low = var_high = self.num.offset_variance
        var_low += num_low[1] ** 2
        var_high += num_high[1] ** 2
        if self.den is not None:
            den_low, den_high = ends[2], ends[3]
            assert den_low is not None and den_high is not None  # noqa: S101 - checked just above
            # low = num_low - den_high, high = num_high - den_low
            covariance += _within(den_low, den_high) - self._across(num_low, den_low) - self._across(num_high, den_high)
            var_low += den_high[1] ** 2 - 2 * self._across(num_low, den_high) + self.den.offset_variance
            var_high += den_low[1] ** 2 - 2 * self._across(num_high, den_low) + self.den.offset_variance
        if var_low <= 0 or var_high <= 0:
            return 0.0
        return min(max(covariance / math.sqrt(var_low * var_high), -0.999), 0.999)

    def _across(self, num_end: tuple[float, float, float], den_end: tuple[float, float, float]) -> float:
        """Covariance of an order statistic of num with one of den."""
        if self.correlation is None:
            return 0.0
        return self.correlation(num_end[2], num_end[0], den_end[2], den_end[0]) * num_end[1] * den_end[1]

    def _minus(
        self, first: tuple[float, float, float], second: tuple[float, float, float], offsets: float
    ) -> tuple[float, float]:
        """first - second, two ends (value, order-statistic sd, level); `offsets`: their bins' variance."""
        rho = 0.0 if self.correlation is None else self.correlation(first[2], first[0], second[2], second[0])
        variance = first[1] ** 2 + second[1] ** 2 - 2 * rho * first[1] * second[1] + offsets
        return first[0] - second[0], math.sqrt(max(variance, 0.0))


def _within(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """Covariance of two order statistics (value, sd, level) of one sample."""
    low, high = sorted((first[2], second[2]))
    if low <= 0 or high >= 1:
        return 0.0
    return math.sqrt(low * (1 - high) / (high * (1 - low))) * first[1] * second[1]


def unsettled_chance(
    comparison: Comparison, edges: tuple[float, float], shift: float, scale: float, *, inside: bool = False
) -> float:
    """Chance the decision is still unsettled at scale x the data when the truth is the sample's
    quantile function shifted by `shift` in logs: min(P(low <= edges[0]), P(high >= edges[1])), the
    Frechet upper bound, nearly exact for a truth on an edge (one event is then almost sure). For a
    truth `inside` the band both ends move with the same estimate, so the low end staying at the low
    edge and the high end at the high edge are nearly opposite events: the chance of both is read
    from the ends' bivariate normal with their correlation (`Comparison.end_correlation`); the min
    counted every miss of either end as unsettled (measured: 0.94 power where 80% was stated), and
    perfectly opposite ends (max(0, P(low) + P(high) - 1)) under-sized (0.65-0.76)."""
    bounds = comparison.bounds(scale)
    if bounds is None:
        return 1.0
    (low, low_sd), (high, high_sd) = bounds
    below = _chance_at_most(edges[0] - low - shift, low_sd)
    above = 1.0 - _chance_at_most(edges[1] - high - shift, high_sd) if high_sd > 0 else float(high + shift >= edges[1])
    if not inside or low_sd <= 0 or high_sd <= 0:
        return min(below, above)
    # P(low <= edge 0 and high >= edge 1): bivariate normal of (low, -high), correlation -rho
    rho = comparison.end_correlation(scale)
    z_low, z_high = (edges[0] - low - shift) / low_sd, (high + shift - edges[1]) / high_sd
    both = multivariate_normal(mean=[0.0, 0.0], cov=[[1.0, -rho], [-rho, 1.0]]).cdf([z_low, z_high])
    return float(min(max(both, 0.0), below, above))


def _chance_at_most(gap: float, sd: float) -> float:
    """P(X <= edge) for X ~ N(mean, sd^2) with gap = edge - mean."""
    if sd <= 0:
        return float(gap >= 0)
    return float(ndtr(gap / sd))


def scale_to_settle(
    comparison: Comparison, edges: tuple[float, float], shift: float, power: float = 0.8, *, inside: bool = False
) -> float | None:
    """Smallest k >= 1 (k times the requests at hand, the same traffic for longer) at which the
    decision is settled with `power` (None: not within MAX_SCALE, e.g. a truth on a band edge);
    `inside`: the truth lies strictly between the edges (see `unsettled_chance`)."""
    if not all(math.isfinite(v) for v in (*edges, shift)):
        return None
    miss = 1 - power

    def unsettled(scale: float) -> float:
        return unsettled_chance(comparison, edges, shift, scale, inside=inside)

    if unsettled(1.0) <= miss:
        return 1.0
    low, high = 1.0, 2.0
    while unsettled(high) > miss:
        low, high = high, high * 2
        if high > MAX_SCALE:
            return None
    while high - low > max(1e-3 * low, 1 / comparison.num.n):  # bisect to about 0.1% of the size
        middle = (low + high) / 2
        if unsettled(middle) > miss:
            low = middle
        else:
            high = middle
    return high
