"""rubric_drift: read, pair the items, measure both axes per criterion and the composite, judge
them as one Holm family (core.compose), word the result."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.common.settle import unsettled_unreported, with_sizes
from airflow_evalguard.checks.common.shift import shift_interval_used
from airflow_evalguard.checks.rubric_drift import axes, composite, paired, read, words
from airflow_evalguard.core.compose import Composed, compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.core.part import Part
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict, validate_bands

METHOD = {
    "ci_method": "skewness-corrected paired t (Hall 1992) up to 2,000 items, paired t beyond",
    "sizing": "items scaled from each interval's half-width, sized for a fail_at shift at 80% power (Holm first step)",
    "multiplicity": "holm across every criterion axis and the composite",
}


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    validate_bands(params["warn_at"], params["fail_at"])
    sums, missing = read.read(tables, params["id_column"])
    base, cand = paired.periods(sums, params)
    paired.check_scale(sums[sums["period"].isin([base, cand])], base, cand, params["scale"])
    wide, dropped = paired.paired_means(sums, base, cand)
    criteria = paired.require_pairs(wide, base, cand)
    weights = paired.weights(params["weights"], criteria)

    measured = axes.measure(wide, criteria, weights, params)
    change = composite.measure(wide, criteria, weights, params)
    composed = with_sizes(
        compose(
            [
                axes.part(measured, params),
                composite.part(change, measured, params),
                Part(findings=words.notes(dropped, missing)),
            ],
            alpha=params["alpha"],
            underpowered=lambda names: words.underpowered(names, params["fail_at"]),
        )
    )
    verdicts = {(item.member.slice, item.member.code): item.verdict for item in composed.judged}
    hidden = composite.hidden_drift(change, measured, verdicts, params["warn_at"])
    findings = (
        *_drift_findings(composed),
        *([hidden] if hidden else []),
        *unsettled_unreported(composed),
        *composed.findings,
    )
    return Decision(
        composed.verdict,
        words.summary(composed.verdict, findings, change, base, cand),
        composed.metrics,
        composed.slices,
        findings,
        method={
            "baseline_period_used": base,
            "candidate_period_used": cand,
            "weights_used": weights,
            **METHOD,
            "ci_method_used": shift_interval_used(params["n_boot"]),
        },
        evidence=axes.evidence(measured, verdicts),
    )


def _drift_findings(composed: Composed) -> list[Finding]:
    """A finding per axis or composite that FAILs or WARNs (an unsettled one shows as UNDERPOWERED_SLICE)."""
    return [
        Finding(item.verdict.value.lower(), item.member.code, item.member.describe(item.verdict), item.member.slice)
        for item in composed.judged
        if item.verdict in (Verdict.FAIL, Verdict.WARN)
    ]
