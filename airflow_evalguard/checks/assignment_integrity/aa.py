"""An A/A run: both arms got the same treatment, so the metric's lift must include 0.

A Welch t test from each arm's count, sum and sum of squares; a significant lift FAILs: the
pipeline itself manufactures differences.
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.assignment_integrity.arms import Arms
from airflow_evalguard.core.number_words import p_value
from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.stats.welch import welch
from airflow_evalguard.verdicts import Verdict


def aa_part(arms: Arms, params: dict[str, Any]) -> Part:
    if not params["aa"]:
        return Part()
    metric = params["metric"]
    first, second = arms.moments[metric][0], arms.moments[metric][1]
    lift = welch(first, second, alpha=params["alpha"])
    metrics = {"aa_lift": Metric(lift.diff, lift.ci_low, lift.ci_high, n=int(first.count + second.count))}
    if lift.p < params["alpha"]:
        message = (
            f"an A/A run shows a lift of {lift.diff:+.4g} in {metric} (CI {lift.ci_low:+.4g} to "
            f"{lift.ci_high:+.4g}, Welch p {p_value(lift.p)}): the pipeline manufactures differences"
        )
        return Part(metrics, (Finding("fail", "AA_NONZERO_LIFT", message),), validity=(Verdict.FAIL,))
    return Part(metrics)
