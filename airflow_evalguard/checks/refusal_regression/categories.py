"""Did either outcome regress within a category? Every category of both outcomes is one Holm
family of its own (as the check has always judged it, apart from the two overall tests), and a
category with fewer than `min_pairs` pairs cannot PASS on its own: it is unsettled instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airflow_evalguard.checks.common.paired_gate import PairedGroup, PairedJudgement, method_summary, paired_groups
from airflow_evalguard.checks.refusal_regression import words
from airflow_evalguard.checks.refusal_regression.outcomes import OUTCOMES, OutcomeTables, Unsettled
from airflow_evalguard.core.compose import judge_members
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict, worst


@dataclass(frozen=True)
class Categories:
    part: Part  # the category slices with their verdicts (as floors) and CATEGORY_REGRESSION findings
    unsettled: tuple[Unsettled, ...]
    methods: dict[str, str]  # outcome -> McNemar method(s) used across its categories
    members: int  # the size of the categories' Holm family (every category of both outcomes)


def judge(tables: OutcomeTables, params: dict[str, Any]) -> Categories:
    judged = _judge_family(tables, params)
    by = params["by"]
    slices, findings, unsettled = [], [], []
    for index, category in enumerate(tables.categories):
        label = f"{by}={category}"
        metrics: dict[str, Metric] = {}
        verdicts = []
        for outcome, per_category in zip(OUTCOMES, judged, strict=True):
            judgement = per_category[index]
            if judgement is None:
                continue
            metrics.update(judgement.metrics(outcome.rate, outcome.name))
            verdict = judgement.verdict
            if judgement.n < params["min_pairs"] and verdict not in (Verdict.FAIL, Verdict.WARN):
                verdict = Verdict.INCONCLUSIVE
            verdicts.append(verdict)
            if verdict in (Verdict.FAIL, Verdict.WARN):
                message = f"{label}: {words.regression(outcome.name, judgement)}"
                findings.append(Finding(verdict.value.lower(), "CATEGORY_REGRESSION", message, label))
            elif verdict is Verdict.INCONCLUSIVE:
                unsettled.append(Unsettled(label, outcome.name, judgement.n))
        slices.append(SliceResult(label, worst(verdicts), metrics))
    methods = {
        outcome.name: method_summary([j.method for j in per_category if j is not None])
        for outcome, per_category in zip(OUTCOMES, judged, strict=True)
    }
    part = Part(
        findings=tuple(findings),
        slices=tuple(slices),
        slice_validity={s.slice: s.verdict for s in slices},
        unsettled=tuple(item.slice for item in unsettled),
    )
    members = sum(judgement is not None for per_category in judged for judgement in per_category)
    return Categories(part, tuple(unsettled), methods, members)


def _judge_family(tables: OutcomeTables, params: dict[str, Any]) -> list[list[PairedJudgement | None]]:
    """Holm across every category of every outcome, then the gate rule with the outcome's bands."""
    groups = [paired_groups(table, params["alpha"]) for table in tables.by_category]
    members: list[GatedEffect | None] = []
    for outcome, per_category in zip(OUTCOMES, groups, strict=True):
        warn_at, fail_at = outcome.bands(params)
        members.extend(_effect(group, outcome.name, warn_at, fail_at) for group in per_category)
    judged = iter(judge_members([m for m in members if m is not None], params["alpha"]))
    return [
        [None if group is None else PairedJudgement.of(group, next(judged)) for group in per_category]
        for per_category in groups
    ]


def _effect(group: PairedGroup | None, outcome: str, warn_at: float, fail_at: float) -> GatedEffect | None:
    if group is None:
        return None
    return group.effect(
        "CATEGORY_REGRESSION", warn_at=warn_at, fail_at=fail_at, describe=words.describer(outcome, group)
    )
