"""The contract's clauses as Great Expectations ran them: each failed expectation FAILs the check."""

from __future__ import annotations

from dataclasses import dataclass

from airflow_evalguard.checks.output_contract.words import violation_message
from airflow_evalguard.contracts.gx_runner import ExpectationOutcome
from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict


@dataclass(frozen=True)
class Expectations:
    part: Part
    broken: dict[int, tuple[str, ...]]  # row -> labels of the expectations it breaks


def labels(outcomes: list[ExpectationOutcome]) -> list[str]:
    """The clause names; a clause compiled to several expectations gets the expectation's short type."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.spec.clause] = counts.get(outcome.spec.clause, 0) + 1
    named = []
    for outcome in outcomes:
        short = outcome.spec.type.removeprefix("expect_").removeprefix("column_values_to_").removeprefix("column_")
        named.append(outcome.spec.clause if counts[outcome.spec.clause] == 1 else f"{outcome.spec.clause}/{short}")
    return named


def expectations(outcomes: list[ExpectationOutcome], n_records: int) -> Expectations:
    metrics: dict[str, Metric] = {
        "records": Metric(n_records),
        "expectations": Metric(len(outcomes)),
        "expectations_failed": Metric(sum(not o.success for o in outcomes)),
    }
    slices, findings, validity = [], [], []
    floors: dict[str, Verdict] = {}
    broken: dict[int, list[str]] = {}
    for label, outcome in zip(labels(outcomes), outcomes, strict=True):
        unexpected = outcome.unexpected_count or 0
        metrics[f"expectation_success[{label}]"] = Metric(1 if outcome.success else 0)
        metrics[f"unexpected_count[{label}]"] = Metric(unexpected, n=outcome.element_count)
        slice_metrics = {"success": Metric(1 if outcome.success else 0), "unexpected_count": Metric(unexpected)}
        if outcome.element_count:
            slice_metrics["unexpected_share"] = Metric(unexpected / outcome.element_count, n=outcome.element_count)
        name = f"expectation={label}"
        verdict = Verdict.PASS if outcome.success else Verdict.FAIL
        slices.append(SliceResult(name, verdict, slice_metrics))
        floors[name] = verdict  # the composer sets each slice's verdict: here, the expectation's own
        if outcome.success:
            continue
        validity.append(Verdict.FAIL)
        for row in outcome.unexpected_index:
            broken.setdefault(int(row), []).append(label)
        findings.append(Finding("fail", "CONTRACT_VIOLATION", violation_message(label, outcome), slice=name))
    part = Part(
        metrics=metrics, findings=tuple(findings), validity=tuple(validity), slices=tuple(slices), slice_validity=floors
    )
    return Expectations(part, {row: tuple(names) for row, names in broken.items()})
