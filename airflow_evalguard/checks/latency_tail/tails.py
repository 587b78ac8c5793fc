"""What every latency_tail decision shares: the p99 it compares, groups and their samples, and
how a comparison becomes a gated effect.

A sample is an `Estimator`: quantile specs -> order-statistic estimates, from rows
(`stats.order_stat.quantiles`) or from a histogram (`stats.log_bins.binned_quantiles`); the
decisions never see which.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from airflow_evalguard.checks.latency_tail.sizing import interval_first_exists
from airflow_evalguard.checks.latency_tail.training_windows import Window
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.stats.order_stat import QuantileEstimate, ratio_interval
from airflow_evalguard.verdicts import Verdict

TAIL = 0.99
UNSETTLED = "TOO_FEW_REQUESTS"

Estimator = Callable[[list[tuple[float, float]]], list[QuantileEstimate]]
Tails = dict[float, QuantileEstimate]  # alpha -> the p99 estimate with its interval at 1 - alpha


def metric_name(q: float) -> str:
    """0.99 -> "p99", 0.999 -> "p99_9" (a dot would read as a sub-metric)."""
    return f"p{round(q * 100, 6):g}".replace(".", "_")


def tails(
    estimate: Estimator, alphas: Collection[float], reported: Sequence[float] = (), alpha: float = 0.05
) -> tuple[list[QuantileEstimate], Tails]:
    """The reported quantiles (at `alpha`) and p99 at each of `alphas`, from one sample."""
    specs = [(q, alpha) for q in reported] + [(TAIL, level) for level in sorted(alphas)]
    estimates = estimate(specs)
    return estimates[: len(reported)], dict(zip(sorted(alphas), estimates[len(reported) :], strict=True))


@dataclass(frozen=True)
class Group:
    endpoint: str
    klass: str
    n: int

    @property
    def label(self) -> str:
        return f"endpoint={self.endpoint},latency_class={self.klass}"


@dataclass(frozen=True)
class ColdSplit:
    """A group's cold starts: their share, the warm sample, the cold share of the tail."""

    rate: float
    warm: Estimator | None  # None unless the group has both cold and warm requests (then it is judged)
    tail_share: Callable[[float], tuple[float, int]]  # p99 -> (cold share of requests above it, how many)


@dataclass(frozen=True)
class GroupSample:
    group: Group
    estimate: Estimator
    cold: ColdSplit | None = None  # None: the input says nothing about cold starts
    # how far its intervals' ends sit beyond the quantiles read, in logs (histograms: half a bin)
    widening: float = 0.0


@dataclass(frozen=True)
class TrainingPair:
    """A group's requests while training ran, and those in the same hours of day without it."""

    group: Group
    busy: Estimator
    quiet: Estimator
    busy_ts: np.ndarray  # ns UTC, ascending: to name the training windows behind the comparison


@dataclass(frozen=True)
class Sampled:
    """What an input form (rows or histogram) hands the decisions."""

    samples: list[GroupSample]
    totals: dict[str, Metric]  # requests, endpoints, cold_start_rate, dropped_invalid
    evidence: Any  # a DataFrame: the slowest requests (rows) or the top bins (histogram)
    method: dict[str, Any]  # how quantiles and intervals were read, echoed into the result's params
    notes: tuple[Finding, ...] = ()
    pairs: list[TrainingPair] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)


@dataclass(frozen=True)
class Decided:
    """What one decision returns: its gated effects and top-level metrics (a Part) and the metrics
    it adds to each group's slice (group label -> metrics)."""

    part: Part
    group_metrics: dict[str, dict[str, Metric]] = field(default_factory=dict)


def unsettled(code: str, group: Group, what: str, alpha_used: float, n_have: int, per_side: bool = True) -> GatedEffect:
    """A comparison whose p99 cannot be bounded: INCONCLUSIVE (its upper bound is unbounded),
    naming the n at which its interval first exists (sizing.interval_first_exists)."""
    size = interval_first_exists(alpha_used, "requests on each side" if per_side else "requests")
    message = (
        f"{group.label}: {what} cannot bound p99 at {1 - alpha_used:.4g} confidence (after the multiplicity "
        f"correction) from {n_have:,} requests; {size.words()}"
    )
    return effect(code, group, math.nan, None, math.inf, 0.0, 0.0, message)


def effect(
    code: str,
    group: Group,
    value: float,
    ci_low: float | None,
    ci_high: float | None,
    warn_at: float,
    fail_at: float,
    message: str,
    settle: Callable[[], SampleSize] | None = None,
) -> GatedEffect:
    """One decision: significant when its (family-corrected) interval lies above 0. `settle`
    sizes it when it is INCONCLUSIVE (computed once, only then)."""

    @functools.cache
    def describe(verdict: Verdict) -> str:
        if verdict is Verdict.INCONCLUSIVE and settle is not None:
            return f"{message}; the interval is too wide to decide: {settle().words()}"
        return message

    return GatedEffect(
        code,
        value,
        ci_high,
        None,
        warn_at,
        fail_at,
        describe,
        slice=group.label,
        ci_low=ci_low,
        unsettled_code=UNSETTLED,
    )


def ratio_effect(
    code: str,
    group: Group,
    ratio: tuple[QuantileEstimate, QuantileEstimate],
    alpha_used: float,
    what: str,
    n_have: int,
    bands: tuple[float, float],
    message: Callable[[float], str],
    settle: Callable[[], SampleSize] | None = None,
) -> GatedEffect:
    """num/den - 1 of `ratio` by the gate rule at `bands` (warn_at, fail_at), with the conservative
    ratio interval; `message(rel)` words it, `settle()` sizes it when it is INCONCLUSIVE."""
    num, den = ratio
    if not (num.bounded and den.bounded):
        return unsettled(code, group, what, alpha_used, n_have)
    rel = num.value / den.value - 1
    low, high = ratio_interval(num, den)
    interval = "" if low is None or high is None else f"; interval {low:+.0%} to {high:+.0%}"
    return effect(code, group, rel, low, high, bands[0], bands[1], message(rel) + interval, settle)


def worst_metrics(effects: Sequence[tuple[GatedEffect, str, int]]) -> dict[str, Metric]:
    """Top level: the worst (largest) finite value of each key, with its interval and n."""
    metrics: dict[str, Metric] = {}
    for member, key, n in effects:
        worst = metrics.get(key)
        if math.isfinite(member.value) and (worst is None or worst.value is None or member.value > worst.value):
            metrics[key] = Metric(member.value, member.ci_low, member.ci_high, n=n)
    return metrics
