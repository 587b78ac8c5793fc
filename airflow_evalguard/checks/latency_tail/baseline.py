"""FINE_TUNE_TAIL_REGRESSION: is each endpoint's p99 above the baseline endpoint's (e.g. a
fine-tune against its base model), class by class? Bonferroni across the compared groups; each
side of the ratio at half that."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.latency_tail.families import Families
from airflow_evalguard.checks.latency_tail.sizing import METHOD, POWER, Side, ratio_scale, scaled
from airflow_evalguard.checks.latency_tail.tails import Decided, GroupSample, Tails, ratio_effect, worst_metrics
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.order_stat import ratio_interval

CODE = "FINE_TUNE_TAIL_REGRESSION"


def decide(families: Families, full: dict[str, Tails], params: dict[str, Any]) -> Decided:
    effects = []
    group_metrics = {}
    for sample in families.tuned:
        group = sample.group
        base = families.base[group.klass]
        member, group_metrics[group.label] = _versus_baseline(
            sample, full[group.label], base, full[base.group.label], families.a_ft, params
        )
        effects.append((member, f"p99_regression[{group.endpoint}]", group.n))
    part = Part(metrics=worst_metrics(effects), gated=tuple(member for member, _, _ in effects))
    return Decided(part, group_metrics)


def _versus_baseline(
    sample: GroupSample, tails: Tails, base: GroupSample, base_tails: Tails, alpha_used: float, params: dict[str, Any]
) -> tuple[GatedEffect, dict[str, Metric]]:
    alpha, group = params["alpha"], sample.group
    low, high = ratio_interval(tails[alpha / 2], base_tails[alpha / 2])
    relative = tails[alpha].value / base_tails[alpha].value - 1
    metrics = {"p99_vs_baseline": Metric(relative, low, high, n=group.n)}
    est, est_base = tails[alpha_used], base_tails[alpha_used]
    endpoint = base.group.endpoint

    def message(rel: float) -> str:
        return (
            f"{group.label}: p99 {est.value:,.0f} ms vs {est_base.value:,.0f} ms on baseline endpoint {endpoint} "
            f"({rel:+.0%})"
        )

    member = ratio_effect(
        CODE,
        group,
        (est, est_base),
        alpha_used,
        f"the comparison with {endpoint}",
        min(group.n, base.group.n),
        (params["warn_at"], params["fail_at"]),
        message,
        lambda: _settle(sample, base, alpha_used, params["fail_at"]),
    )
    return member, metrics


def _settle(sample: GroupSample, base: GroupSample, alpha_used: float, fail_at: float) -> SampleSize:
    """Both endpoints k times larger (the same traffic split for longer); they share no request."""
    n, n_base = sample.group.n, base.group.n
    scale, sized_for = ratio_scale(
        Side(sample.estimate, n, sample.widening), Side(base.estimate, n_base, base.widening), alpha_used, fail_at
    )
    on_base = scaled(scale, n_base)
    return SampleSize(
        scaled(scale, n),
        "requests on the compared endpoint",
        f"{sized_for} against baseline endpoint {base.group.endpoint}"
        + (f", with about {on_base:,} requests there" if on_base is not None else ""),
        POWER,
        METHOD,
    )
