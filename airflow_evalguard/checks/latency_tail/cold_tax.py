"""COLD_START_TAX: do cold starts inflate a group's p99?

p99 of all requests against p99 of the warm ones (a scaled-to-zero fine-tune pays the model load
in its tail, which a mean never shows). Bonferroni across the groups with both cold and warm
requests; each side of the ratio at half that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.checks.latency_tail.families import Families
from airflow_evalguard.checks.latency_tail.sizing import METHOD, POWER, Side, ratio_scale, scaled
from airflow_evalguard.checks.latency_tail.tails import (
    ColdSplit,
    Decided,
    GroupSample,
    Tails,
    ratio_effect,
    tails,
    worst_metrics,
)
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.order_stat import difference_interval
from airflow_evalguard.stats.subset_correlation import subset_correlation

CODE = "COLD_START_TAX"


def decide(
    samples: Sequence[GroupSample], families: Families, full: dict[str, Tails], params: dict[str, Any]
) -> Decided:
    group_metrics: dict[str, dict[str, Metric]] = {}
    for sample in samples:
        if sample.cold is not None:
            group_metrics[sample.group.label] = {"cold_start_rate": Metric(sample.cold.rate, n=sample.group.n)}
    effects = []
    for sample in families.cold:
        member, metrics = _cold_tax(sample, full[sample.group.label], families.a_cold, params)
        group_metrics[sample.group.label].update(metrics)
        effects.append((member, f"cold_start_tax[{sample.group.endpoint}]", sample.group.n))
    part = Part(metrics=worst_metrics(effects), gated=tuple(member for member, _, _ in effects))
    return Decided(part, group_metrics)


def _cold_tax(
    sample: GroupSample, full: Tails, alpha_used: float, params: dict[str, Any]
) -> tuple[GatedEffect, dict[str, Metric]]:
    """p99 with and without cold starts; the tax in ms, and the cold share of the tail."""
    alpha, group = params["alpha"], sample.group
    cold: ColdSplit | None = sample.cold
    assert cold is not None and cold.warm is not None  # families.cold holds only groups with both
    _, warm = tails(cold.warm, {alpha, alpha / 2, alpha_used})
    share, n_above = cold.tail_share(full[alpha].value)
    point_all, point_warm = full[alpha], warm[alpha]
    low, high = difference_interval(full[alpha / 2], warm[alpha / 2])
    tax = point_all.value - point_warm.value
    metrics = {
        "p99_warm": Metric(point_warm.value, point_warm.ci_low, point_warm.ci_high, n=point_warm.n),
        "cold_tail_share": Metric(share, n=n_above),
        "cold_start_tax_ms": Metric(tax, low, high, n=group.n),
    }
    est_all, est_warm = full[alpha_used], warm[alpha_used]

    def message(rel: float) -> str:
        return (
            f"{group.label}: cold starts ({cold.rate:.1%} of requests, {share:.0%} of those above p99) add "
            f"{tax:,.0f} ms to p99 ({rel:+.0%}: {est_all.value:,.0f} ms vs {est_warm.value:,.0f} ms warm)"
        )

    member = ratio_effect(
        CODE,
        group,
        (est_all, est_warm),
        alpha_used,
        "the cold-start comparison",
        min(group.n, est_warm.n),
        (params["warn_at"], params["fail_at"]),
        message,
        lambda: _settle(sample, est_warm.n, alpha_used, params["fail_at"]),
    )
    return member, metrics


def _settle(sample: GroupSample, n_warm: int, alpha_used: float, fail_at: float) -> SampleSize:
    """All requests against the warm ones, both k times larger at the observed cold-start rate;
    the two p99s share the warm requests (their correlation from the warm CDF)."""
    cold, n = sample.cold, sample.group.n
    assert cold is not None and cold.warm is not None

    def warm_cdf(latency: float) -> float:
        share, n_above = cold.tail_share(latency)
        return 1.0 - n_above * (1.0 - share) / n_warm

    scale, sized_for = ratio_scale(
        Side(sample.estimate, n, sample.widening),
        Side(cold.warm, n_warm, sample.widening),
        alpha_used,
        fail_at,
        subset_correlation(warm_cdf, n_warm / n),
    )
    cold_starts = scaled(scale, n - n_warm)
    return SampleSize(
        scaled(scale, n),
        "requests",
        f"{sized_for} of all requests to warm ones, at the observed cold-start rate {cold.rate:.2%}"
        + (f": about {cold_starts:,} cold starts" if cold_starts is not None else ""),
        POWER,
        METHOD,
    )
