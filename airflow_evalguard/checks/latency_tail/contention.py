"""TRAINING_CONTENTION: is a group's p99 inflated while training shares the GPU pool?

p99 of requests while training runs against p99 in the same hours of day without training
(inside the protected windows when given): the hour-of-day match keeps the daily load cycle out
of the comparison. Bonferroni across the groups with both; each side at half that. Rows only:
a histogram carries no request times.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.checks.latency_tail.sizing import METHOD, POWER, Side, ratio_scale, scaled
from airflow_evalguard.checks.latency_tail.tails import Decided, TrainingPair, ratio_effect, tails, worst_metrics
from airflow_evalguard.checks.latency_tail.training_windows import Window, overlapping
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.order_stat import ratio_interval

CODE = "TRAINING_CONTENTION"


def decide(pairs: Sequence[TrainingPair], windows: list[Window], alpha_used: float, params: dict[str, Any]) -> Decided:
    effects = []
    group_metrics = {}
    for pair in pairs:
        member, group_metrics[pair.group.label] = _contention(pair, windows, alpha_used, params)
        effects.append((member, f"p99_inflation.training[{pair.group.klass}]", pair.group.n))
    part = Part(metrics=worst_metrics(effects), gated=tuple(member for member, _, _ in effects))
    return Decided(part, group_metrics)


def _contention(
    pair: TrainingPair, windows: list[Window], alpha_used: float, params: dict[str, Any]
) -> tuple[GatedEffect, dict[str, Metric]]:
    alpha, group = params["alpha"], pair.group
    _, busy = tails(pair.busy, {alpha / 2, alpha_used})
    _, quiet = tails(pair.quiet, {alpha / 2, alpha_used})
    nominal_busy, nominal_quiet = busy[alpha / 2], quiet[alpha / 2]
    low, high = ratio_interval(nominal_busy, nominal_quiet)
    inflation = nominal_busy.value / nominal_quiet.value - 1
    metrics = {"p99_inflation_training": Metric(inflation, low, high, n=nominal_busy.n)}
    est_busy, est_quiet = busy[alpha_used], quiet[alpha_used]
    named = overlapping(windows, pair.busy_ts)
    shown = ", ".join(w.describe() for w in named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")

    def message(rel: float) -> str:
        return (
            f"{group.label}: p99 while training runs is {est_busy.value:,.0f} ms vs {est_quiet.value:,.0f} ms in the "
            f"same hours without training ({rel:+.0%}); training windows: {shown or 'unnamed'}"
        )

    member = ratio_effect(
        CODE,
        group,
        (est_busy, est_quiet),
        alpha_used,
        "the training comparison",
        min(est_busy.n, est_quiet.n),
        (params["warn_at"], params["fail_at"]),
        message,
        lambda: _settle(pair, est_busy.n, est_quiet.n, alpha_used, params["fail_at"]),
    )
    return member, metrics


def _settle(pair: TrainingPair, n_busy: int, n_quiet: int, alpha_used: float, fail_at: float) -> SampleSize:
    """Both sides k times larger (the same schedule for longer); they share no request."""
    scale, sized_for = ratio_scale(Side(pair.busy, n_busy), Side(pair.quiet, n_quiet), alpha_used, fail_at)
    quiet = scaled(scale, n_quiet)
    return SampleSize(
        scaled(scale, n_busy),
        "requests while training runs",
        f"{sized_for} while training runs to the same hours without it"
        + (f", with about {quiet:,} requests in those hours" if quiet is not None else ""),
        POWER,
        METHOD,
    )
