"""slice_retention: read the paired evaluation, judge the overall drop (core.compose) and every
slice (a Holm family of its own), check the required slices, word the result."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pandas as pd

from airflow_evalguard.checks.slice_retention import overall, read, required, slices, words
from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict, validate_bands

METHOD = {
    "multiplicity": "holm across all slices of all slice columns",
    "min_detectable_drop_method": (
        "80% power of the test each slice is judged with, two-sided at alpha / number of slices (Holm): exact "
        "McNemar power for 0/1 (conditional binomial below 25 discordant pairs, chi-square with continuity "
        "correction above; Lachin 1992), discordance observed overall (raised to the drop when smaller); "
        "noncentral-t power of the paired t test for scores, sd of differences observed overall"
    ),
    "power_method": (
        "sizes that would settle an unsettled slice or overall drop: the smallest n from which that power stays "
        ">= 80% for a drop of fail_at (checked over the next max(10, n/4) sizes), at least the slice's min_n"
    ),
}


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    validate_bands(params["warn_at"], params["fail_at"])
    if not params["slice_columns"]:
        raise EvalGuardInputError("param 'slice_columns' must name at least one column")
    declared = read.required(tables.get("required_slices"), params)
    sample = read.read(tables, params)
    overall_drops, overall_part = overall.part(sample, params)
    family = slices.judge(sample, declared, params)
    composed = compose(
        [overall_part, family.part, required.part(declared, family)],
        alpha=params["alpha"],
        underpowered=lambda names: words.underpowered([family.unsettled[name] for name in names]),
    )
    overall_verdict = composed.judged[0].verdict  # the overall drop is the composed family's only member
    drop = float(overall_drops.drop[0])
    regressions = [regression[:2] for regression in family.regressions]
    findings = [*composed.findings, Finding(*words.average(drop, overall_verdict, regressions, params["metric"]))]
    if overall_verdict is Verdict.INCONCLUSIVE:
        findings.append(overall.unsettled(overall_drops, params))
    metrics = dict(composed.metrics)
    teacher_only, student_only = sample.unpaired["teacher"], sample.unpaired["student"]
    if teacher_only or student_only:
        findings.append(Finding("info", "UNPAIRED_DROPPED", words.unpaired(teacher_only, student_only)))
        metrics["unpaired_dropped"] = Metric(teacher_only + student_only)
    ordered = worst_first(composed.slices)
    missing = required.missing(declared, family)
    return Decision(
        composed.verdict,
        words.summary(
            composed.verdict,
            drop,
            family.regressions,
            bool(missing),
            sample.n_total,
            params["metric"],
            list(family.unsettled.values()),
        ),
        metrics,
        tuple(ordered),
        tuple(findings),
        method={
            "required_slices": [dataclasses.asdict(item) for item in declared],
            "delta_method": _delta_method(params["metric"], sample.form),
            "methods_used": sorted(family.methods | set(overall_drops.methods)),
            **METHOD,
            "input_form": sample.form,
        },
        evidence=_evidence(ordered),
    )


def worst_first(judged: tuple[SliceResult, ...]) -> list[SliceResult]:
    """Most severe verdict first, then the largest drop (an improvement last), then the name: the
    report heads this table "worst first", and the first row is the slice to look at."""

    def severity(item: SliceResult) -> tuple[int, float, str]:
        drop = item.metrics["drop"].value
        return -item.verdict.rank, -drop if drop is not None and math.isfinite(drop) else math.inf, item.slice

    return sorted(judged, key=severity)


def _delta_method(metric: str, form: str) -> str:
    if metric == "correct":
        return "newcombe_paired_hybrid_score + mcnemar (exact when discordant < 25, else chi2_cc)"
    if form == "moments":
        return "paired t from moments for every slice"
    return "paired t (n > 2000) / skewness-corrected paired t (n <= 2000)"


def _evidence(ordered: list[SliceResult]) -> pd.DataFrame:
    """One row per slice, worst first: its verdict, metrics and the drop's interval."""
    return pd.DataFrame(
        [
            {
                "slice": s.slice,
                "verdict": s.verdict.value,
                **{name: metric.value for name, metric in s.metrics.items()},
                "drop_ci_low": s.metrics["drop"].ci_low,
                "drop_ci_high": s.metrics["drop"].ci_high,
                "n": s.metrics["drop"].n,
            }
            for s in ordered
        ]
    )
