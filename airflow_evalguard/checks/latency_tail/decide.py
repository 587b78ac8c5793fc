"""latency_tail: read rows or a histogram into group samples, estimate each group's tail, run the
four decisions (SLO, cold-start tax, training contention, fine-tune regression), compose them."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.common.aggregates import one_form
from airflow_evalguard.checks.latency_tail import baseline, cold_tax, contention, families, slo, words
from airflow_evalguard.checks.latency_tail.estimate import estimate
from airflow_evalguard.checks.latency_tail.group_rows import sample_rows
from airflow_evalguard.checks.latency_tail.read_histogram import sample_histogram
from airflow_evalguard.checks.latency_tail.tails import TAIL, Decided, Sampled, metric_name
from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.core.part import Part
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Metric, SliceResult
from airflow_evalguard.stats.order_stat import n_required
from airflow_evalguard.verdicts import Verdict

METHOD = {
    "ratio_ci_method": "two order-statistic intervals at alpha/2 each (conservative)",
    "multiplicity": "Bonferroni within each decision family",
}


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    if one_form(set(tables) - {"training_windows"}, ("requests",), "histogram"):
        sampled = sample_histogram(tables, params)
    else:
        sampled = sample_rows(tables, params)
    return judge(sampled, params)


def judge(sampled: Sampled, params: dict[str, Any]) -> Decision:
    """The decisions on the group samples of either form, composed into one result."""
    plan = families.plan(sampled.samples, len(sampled.pairs), params)
    group_metrics, full = estimate(sampled.samples, plan, params)
    decided = [
        slo.decide(plan, full, params),
        cold_tax.decide(sampled.samples, plan, full, params),
        contention.decide(sampled.pairs, sampled.windows, plan.a_train, params),
        baseline.decide(plan, full, params),
    ]
    group_metrics = _merge(group_metrics, decided)
    labels = [sample.group.label for sample in sampled.samples]
    # Every group is required: a comparison that cannot be settled makes the result INCONCLUSIVE,
    # as it always has, rather than an underpowered slice.
    composed = compose(
        [
            Part(metrics=sampled.totals),
            *(d.part for d in decided),
            Part(slices=tuple(SliceResult(label, Verdict.PASS, group_metrics[label]) for label in labels)),
        ],
        alpha=params["alpha"],
        required_slices=set(labels),
    )
    decided_groups = {item.member.slice for item in composed.judged if item.member.slice is not None}
    reported = {metric_name(q) for q in params["quantiles"]}
    findings = (*composed.findings, *words.unbounded(group_metrics, reported, decided_groups), *sampled.notes)
    n_requests = sum(sample.group.n for sample in sampled.samples)  # the "requests" total, as an int
    return Decision(
        composed.verdict,
        words.summary(composed.verdict, composed.judged, len(labels), n_requests),
        composed.metrics,
        tuple(sorted(composed.slices, key=lambda s: -s.verdict.rank)),
        findings,
        method={**sampled.method, **METHOD, "n_required_p99": n_required(TAIL, params["alpha"])},
        evidence=sampled.evidence,
    )


def _merge(group_metrics: dict[str, dict[str, Metric]], decided: list[Decided]) -> dict[str, dict[str, Metric]]:
    """Each group's slice metrics: its quantiles, then what each decision adds, in decision order."""
    merged = {label: dict(metrics) for label, metrics in group_metrics.items()}
    for each in decided:
        for label, metrics in each.group_metrics.items():
            merged[label].update(metrics)
    return merged
