"""refusal_regression: read the paired behaviours, judge both outcomes overall (one Holm family in
core.compose) and per category (a family of its own), word the result."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.common.paired_sizing import mcnemar_size
from airflow_evalguard.checks.refusal_regression import categories, outcomes, overall, read, words
from airflow_evalguard.checks.refusal_regression.outcomes import OUTCOMES, OutcomeTables
from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.core.part import Part
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import validate_bands

METHOD = {
    "delta_ci_method": "newcombe_paired_hybrid_score (Newcombe 1998, method 10)",
    "multiplicity": "holm across the two overall tests; holm across all category tests",
    "power_method": (
        "exact McNemar power of the test as run (conditional binomial below 25 discordant pairs, chi-square "
        "with continuity correction above; two-sided at alpha / Holm family size; Lachin 1992), 80% power, "
        "discordance observed over the outcome's prompts (raised to fail_at when smaller); pairs needed: the "
        "smallest n from which power stays >= 80% (checked over the next max(10, n/4) sizes)"
    ),
}
MCNEMAR_RULE = "exact binomial when discordant pairs < 25, else chi-square with continuity correction"


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    validate_bands(params["harmful_warn_at"], params["harmful_fail_at"])
    validate_bands(params["over_refusal_warn_at"], params["over_refusal_fail_at"])
    labels = read.label_map(params)
    pairs = read.read(tables, params, labels)
    outcome_tables = outcomes.tables(pairs)
    groups, overall_part = overall.part(outcome_tables, params)
    per_category = categories.judge(outcome_tables, params)
    composed = compose(
        [overall_part, _notes(pairs), per_category.part],
        alpha=params["alpha"],
        # every unsettled outcome of a category, as this check has always listed them
        underpowered=lambda names: words.underpowered(
            per_category.unsettled, _needed(per_category, outcome_tables, params)
        ),
    )
    judged = overall.judgements(groups, composed)
    metrics, findings, reasons = overall.report(judged, outcome_tables, params)
    summary = words.summary(composed.verdict, reasons, judged, [o.name for o in OUTCOMES], pairs.n_pairs)
    mcnemar_method = {
        "harmful": judged[0].method if judged[0] else "none",
        "benign": judged[1].method if judged[1] else "none",
        "per_category_harmful": per_category.methods["harmful"],
        "per_category_benign": per_category.methods["benign"],
        "rule": MCNEMAR_RULE,
    }
    return Decision(
        composed.verdict,
        summary,
        {**metrics, **composed.metrics},
        composed.slices,
        (*findings, *composed.findings),
        method={"label_map_effective": labels, "mcnemar_method": mcnemar_method, **METHOD, "input_form": pairs.form},
        evidence=pairs.evidence,
    )


def _notes(pairs: read.Pairs) -> Part:
    """Prompts dropped for want of a partner, and labels made by the weak string-match labeler."""
    metrics: dict[str, Metric] = {}
    findings = []
    baseline_only, candidate_only = pairs.unpaired["baseline"], pairs.unpaired["candidate"]
    if baseline_only or candidate_only:
        metrics["unpaired_dropped"] = Metric(baseline_only + candidate_only)
        findings.append(Finding("info", "UNPAIRED_DROPPED", words.unpaired(baseline_only, candidate_only)))
    if pairs.labelled:
        findings.append(Finding("warn", "WEAK_LABELER", words.weak_labeler(pairs.labelled)))
    return Part(metrics=metrics, findings=tuple(findings))


def _needed(
    per_category: categories.Categories, tables: OutcomeTables, params: dict[str, Any]
) -> dict[str, SampleSize]:
    """Per outcome with an unsettled category: the pairs a category needs to detect its fail_at
    in the categories' Holm family (and at least min_pairs, to be judged on its own), at the
    discordance observed over all the outcome's prompts."""
    needed = {}
    for outcome, table in zip(OUTCOMES, tables.overall, strict=True):
        if any(item.outcome == outcome.name for item in per_category.unsettled):
            fail_at = outcome.bands(params)[1]
            needed[outcome.name] = mcnemar_size(
                fail_at,
                discordance=float(table.discordance[0]),
                alpha=params["alpha"],
                members=per_category.members,
                unit=f"{outcome.name} pairs per category",
                effect=words.rise(outcome.name, fail_at),
                at_least=int(params["min_pairs"]),
            )
    return needed
