"""The escalation-rate band: does the agent escalate as often as it did on the baseline records?

Either direction breaks the contract (fewer escalations strand people, more flood the queue), so
the gated degradation is the absolute change |candidate - baseline|, with the Newcombe hybrid
score interval; it is settled when that interval excludes zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from airflow_evalguard.checks.common.settle import sized, two_rates_size
from airflow_evalguard.checks.output_contract.words import escalation_text, escalation_wording
from airflow_evalguard.contracts.conditions import evaluate, parse_condition
from airflow_evalguard.contracts.loader import Contract
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.stats.two_proportions import newcombe_diff_ci
from airflow_evalguard.verdicts import validate_bands

SHIFT = "ESCALATION_RATE_SHIFT"
UNSETTLED = "ESCALATION_RATE_UNSETTLED"
BAND_CODES = (SHIFT, UNSETTLED)


@dataclass(frozen=True)
class EscalationRate:
    part: Part
    text: str | None  # the band sentence, None when nothing was compared


def escalation_rate(
    contract: Contract, records: pd.DataFrame, baseline: pd.DataFrame | None, params: dict[str, Any]
) -> EscalationRate:
    spec = contract.behaviour.get("escalation_rate")
    if spec is None:
        return EscalationRate(Part(), None)
    clauses = parse_condition(spec["escalated_when"])
    x_cand, n_cand = int(evaluate(clauses, records).sum()), len(records)
    metrics = {"escalation_rate.candidate": Metric(x_cand / n_cand, n=n_cand)}
    if baseline is None:
        no_baseline = Finding(
            "info", "NO_BASELINE", "no baseline records: the escalation rate is reported, not compared"
        )
        return EscalationRate(Part(metrics=metrics, findings=(no_baseline,)), None)
    x_base, n_base = int(evaluate(clauses, baseline).sum()), len(baseline)
    warn_at, fail_at = spec.get("warn_at", params["warn_at"]), spec.get("fail_at", params["fail_at"])
    validate_bands(warn_at, fail_at)
    delta, low, high = newcombe_diff_ci(x_base, n_base, x_cand, n_cand, params["alpha"])
    metrics["escalation_rate.baseline"] = Metric(x_base / n_base, n=n_base)
    metrics["escalation_rate.delta"] = Metric(delta, low, high, n=n_cand)
    text = escalation_text(x_base / n_base, x_cand / n_cand, delta, low, high, warn_at, fail_at)
    # Settled when the interval excludes zero on either side: max(low, -high) > 0.
    effect = GatedEffect(
        SHIFT,
        abs(delta),
        max(abs(low), abs(high)),
        None,
        warn_at,
        fail_at,
        escalation_wording(text, fail_at),
        ci_low=max(low, -high),
        unsettled_code=UNSETTLED,
    )
    size_for = two_rates_size(
        x_base / n_base,
        fail_at,
        min(n_base, n_cand),
        alpha=params["alpha"],
        unit="records on each side",
        what="escalation rate",
        method="Newcombe hybrid score interval",
    )
    return EscalationRate(Part(metrics=metrics, gated=(sized(effect, size_for),)), text)
