"""assignment_integrity's sentences: how an arm differs, the findings' messages and the summary."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from airflow_evalguard.checks.assignment_integrity.tables import FieldTable
from airflow_evalguard.core.part import Describe
from airflow_evalguard.result import Finding
from airflow_evalguard.stats.balance import Moments
from airflow_evalguard.verdicts import Verdict


def describe_leak(name: str, table: FieldTable, arm_labels: list[str]) -> str:
    """'arm B got 71% of units with prompt_tokens 2000-8000 (50% overall)' for the strongest cell."""
    counts = table.counts
    overall = counts.sum(axis=0) / counts.sum()
    within = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    gap = (within - overall) * np.sqrt(counts.sum(axis=1, keepdims=True))  # weigh by the level's size
    level, arm = np.unravel_index(np.argmax(gap), gap.shape)
    label = table.levels[level]
    what = f"{name} {label}" if table.how == "quartiles" else f"{name}={label}"
    return f"arm {arm_labels[arm]} got {within[level, arm]:.0%} of units with {what} ({overall[arm]:.0%} of all units)"


def describe_shift(name: str, reference: Moments, other: Moments, reference_arm: str, other_arm: str) -> str:
    return f"arm {other_arm}'s mean {name} is {other.mean:,.4g} against {reference.mean:,.4g} in arm {reference_arm}"


def describe_claim(what: str) -> Describe:
    """A family member's wording; the parts write their own findings (they name the arms)."""
    return lambda verdict: f"{what}: {verdict.value}"


def summary(verdict: Verdict, findings: Sequence[Finding], stories: list[str], n: int) -> str:
    """`stories`: how the lift could have been manufactured, leaks first, then imbalances."""
    codes = [finding.code for finding in findings if finding.severity == "fail"]
    if verdict is Verdict.FAIL:
        how = f" How the lift could have been manufactured: {stories[0]}." if stories else ""
        return f"Do not read this experiment's lift: {', '.join(dict.fromkeys(codes))}.{how}"
    if verdict is Verdict.WARN:
        return f"Assignment mostly holds but covariates drift: {stories[0] if stories else 'see findings'}."
    if verdict is Verdict.INCONCLUSIVE:
        rest = f" Also: {stories[0]}." if stories else " No leak or imbalance was found."
        return f"{n:,} units are too few to rule out a sample ratio mismatch.{rest}"
    return f"Assignment looks honest across {n:,} units: no sample ratio mismatch, leak or imbalance."
