"""Did the student lose a slice? Every value of every slice column is judged by the gate rule on
its paired drop, one Holm family across all of them (core.compose.judge_members: the family is
separate from the overall drop's). A slice below its `min_n` cannot PASS: it is unsettled, with
the drop it could have detected and the size that would settle it, both for the test it is judged
with at its Holm family's level (checks/common/paired_sizing.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from airflow_evalguard.checks.common.paired_gate import group_codes
from airflow_evalguard.checks.slice_retention import words
from airflow_evalguard.checks.slice_retention.drops import Drops, drops, min_detectable, size
from airflow_evalguard.checks.slice_retention.read import Required, Sample
from airflow_evalguard.columns.strata import differs
from airflow_evalguard.core.compose import Judged, judge_members
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict


class Regression(NamedTuple):
    slice: str
    drop: float
    words: str


@dataclass(frozen=True)
class SliceFamily:
    part: Part  # slices (verdicts as floors), SLICE_REGRESSION findings, slices_regressed/underpowered
    regressions: tuple[Regression, ...]
    unsettled: dict[str, words.Unsettled]  # slice -> why it cannot be settled and the size that would
    methods: frozenset[str]


def judge(sample: Sample, required: list[Required], params: dict[str, Any]) -> SliceFamily:
    labels, per_column = [], []
    for col in params["slice_columns"]:
        codes, levels = _codes(sample, col)
        per_column.append(drops(sample, codes, len(levels), params))
        labels.append([f"{col}={level}" for level in levels])
    flat = [(label, found, i) for names, found in zip(labels, per_column, strict=True) for i, label in enumerate(names)]
    declared = {item.slice: item for item in required}
    members = [_effect(label, found, i, declared.get(label), params) for label, found, i in flat]
    slices, findings, regressions, unsettled = [], [], [], {}
    for (label, found, i), judged in zip(flat, judge_members(members, params["alpha"]), strict=True):
        result = _slice(label, found, i, judged, declared.get(label), sample.n_total, params, len(members))
        slices.append(result)
        if result.verdict in (Verdict.FAIL, Verdict.WARN):
            sentence = words.slice_regression(label, found, i, sample.n_total, _p_adjusted(judged), params["metric"])
            findings.append(Finding(result.verdict.value.lower(), "SLICE_REGRESSION", sentence, label))
            regressions.append(Regression(label, float(found.drop[i]), sentence))
        elif result.verdict is Verdict.INCONCLUSIVE:
            min_n, fail_at = _min_n(declared.get(label), params), _fail_at(declared.get(label), params)
            unsettled[label] = words.unsettled(
                label,
                int(found.n[i]),
                min_n,
                fail_at,
                result.metrics["min_detectable_drop"].value,
                size(fail_at, found.spread, params, len(members), at_least=found.at_least(i, min_n)),
                required=label in declared,
                withheld=found.withheld(i),
            )
    counts = {"slices_regressed": Metric(len(regressions)), "slices_underpowered": Metric(len(unsettled))}
    part = Part(
        metrics=counts,
        findings=tuple(findings),
        slices=tuple(slices),
        slice_validity={s.slice: s.verdict for s in slices},
    )
    methods = frozenset(method for found in per_column for method in found.methods)
    return SliceFamily(part, tuple(regressions), unsettled, methods)


def _codes(sample: Sample, col: str) -> tuple[np.ndarray, list[str]]:
    teacher, student = sample.slice_values[col]
    mismatch = differs(teacher, student)
    if mismatch.any():
        ids = [] if sample.ids is None else sample.ids[mismatch].head(5).tolist()
        raise EvalGuardInputError(
            f"inputs disagree on slice column '{col}' for {int(mismatch.sum())} example(s), e.g. {ids}",
            input_name="student",
            column=col,
        )
    return group_codes(teacher)


def _min_n(declared: Required | None, params: dict[str, Any]) -> int:
    return declared.min_n if declared else int(params["min_n"])


def _fail_at(declared: Required | None, params: dict[str, Any]) -> float:
    # a declared tolerance is the slice's own fail_at
    return declared.tolerance if declared and declared.tolerance is not None else float(params["fail_at"])


def _effect(label: str, found: Drops, i: int, declared: Required | None, params: dict[str, Any]) -> GatedEffect:
    fail_at = _fail_at(declared, params)  # warn_at never exceeds it
    return GatedEffect(
        code="SLICE_REGRESSION",
        value=float(found.drop[i]),
        ci_high=float(found.hi[i]),
        p_value=found.p_value(i, min(params["warn_at"], fail_at)),
        warn_at=min(params["warn_at"], fail_at),
        fail_at=fail_at,
        describe=words.slice_describer(label),
        slice=label,
        ci_low=float(found.lo[i]),
        report=False,
    )


def _slice(
    label: str,
    found: Drops,
    i: int,
    judged: Judged,
    declared: Required | None,
    n_total: int,
    params: dict[str, Any],
    members: int,
) -> SliceResult:
    n = int(found.n[i])
    verdict = judged.verdict
    if n < _min_n(declared, params) and verdict not in (Verdict.FAIL, Verdict.WARN):
        verdict = Verdict.INCONCLUSIVE
    metrics = {
        "teacher": Metric(float(found.teacher[i]), n=n),
        "student": Metric(float(found.student[i]), n=n),
        "drop": Metric(float(found.drop[i]), float(found.lo[i]), float(found.hi[i]), n=n),
        "p_holm": Metric(_p_adjusted(judged), n=n),
        "teacher_frequency": Metric(n / n_total, n=n),
        "min_detectable_drop": Metric(min_detectable(n, found.spread, params, members), n=n),
    }
    return SliceResult(label, verdict, metrics)


def _p_adjusted(judged: Judged) -> float:
    # every slice carries a p-value, so Holm always returns one
    return float(judged.p_adjusted) if judged.p_adjusted is not None else float("nan")
