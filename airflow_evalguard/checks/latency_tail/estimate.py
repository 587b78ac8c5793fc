"""Each group's reported quantiles (p50, p95, p99 by default) and its p99 at every alpha a
decision needs, read once per group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.checks.latency_tail.families import Families
from airflow_evalguard.checks.latency_tail.tails import GroupSample, Tails, metric_name, tails
from airflow_evalguard.result import Metric


def estimate(
    samples: Sequence[GroupSample], families: Families, params: dict[str, Any]
) -> tuple[dict[str, dict[str, Metric]], dict[str, Tails]]:
    """(group label -> its quantile metrics and request count, group label -> its p99 tails)."""
    alpha = params["alpha"]
    metrics: dict[str, dict[str, Metric]] = {}
    full: dict[str, Tails] = {}
    for sample in samples:
        label = sample.group.label
        reported, full[label] = tails(sample.estimate, families.alphas_for(sample, alpha), params["quantiles"], alpha)
        metrics[label] = {metric_name(est.q): Metric(est.value, est.ci_low, est.ci_high, n=est.n) for est in reported}
        metrics[label]["requests"] = Metric(sample.group.n)
    return metrics, full
