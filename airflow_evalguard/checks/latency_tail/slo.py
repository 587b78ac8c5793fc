"""SLO_BREACH: is each group's p99 above its latency class's SLO?

The SLO is itself the line: a p99 significantly above it fails; one whose interval straddles it
cannot be called either way (INCONCLUSIVE). Bonferroni across the groups that have an SLO.
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.latency_tail.families import Families
from airflow_evalguard.checks.latency_tail.sizing import METHOD, POWER, Side, scaled, target_scale
from airflow_evalguard.checks.latency_tail.tails import Decided, GroupSample, Tails, effect, unsettled, worst_metrics
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.result import Metric

CODE = "SLO_BREACH"


def decide(families: Families, full: dict[str, Tails], params: dict[str, Any]) -> Decided:
    slo = params["slo_ms"] or {}
    effects = []
    group_metrics = {}
    for sample in families.slo:
        group = sample.group
        member, group_metrics[group.label] = _slo(
            sample, full[group.label], slo[group.klass], params["alpha"], families.a_slo
        )
        effects.append((member, f"slo_breach[{group.klass}]", group.n))
    part = Part(metrics=worst_metrics(effects), gated=tuple(member for member, _, _ in effects))
    return Decided(part, group_metrics)


def _slo(
    sample: GroupSample, tails: Tails, target: float, alpha: float, alpha_used: float
) -> tuple[GatedEffect, dict[str, Metric]]:
    group = sample.group
    est, nominal = tails[alpha_used], tails[alpha]
    rel = est.value / target - 1
    low_nominal = None if nominal.ci_low is None else nominal.ci_low / target - 1
    high_nominal = None if nominal.ci_high is None else nominal.ci_high / target - 1
    metrics = {"slo_ms": Metric(target), "slo_excess": Metric(rel, low_nominal, high_nominal, n=group.n)}
    if not est.bounded or est.ci_low is None or est.ci_high is None:
        return unsettled(CODE, group, f"the SLO check ({target:,g} ms)", alpha_used, group.n, per_side=False), metrics
    low, high = est.ci_low / target - 1, est.ci_high / target - 1
    message = (
        f"{group.label}: p99 {est.value:,.0f} ms vs SLO {target:,g} ms ({rel:+.1%}; interval {est.ci_low:,.0f}-"
        f"{est.ci_high:,.0f} ms)"
    )
    return effect(CODE, group, rel, low, high, 0.0, 0.0, message, lambda: _settle(sample, target, alpha_used)), metrics


def _settle(sample: GroupSample, target: float, alpha_used: float) -> SampleSize:
    scale, sized_for = target_scale(Side(sample.estimate, sample.group.n, sample.widening), target, alpha_used)
    return SampleSize(scaled(scale, sample.group.n), "requests", sized_for, POWER, METHOD)
