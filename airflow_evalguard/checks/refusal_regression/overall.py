"""Did either outcome regress over all prompts? One gated effect per outcome with prompts; the
two form this check's overall Holm family in core.compose."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.common.paired_gate import PairedGroup, PairedJudgement, paired_groups
from airflow_evalguard.checks.common.paired_sizing import mcnemar_size
from airflow_evalguard.checks.refusal_regression import words
from airflow_evalguard.checks.refusal_regression.outcomes import OUTCOMES, OutcomeTables
from airflow_evalguard.core.compose import Composed
from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict

INSUFFICIENT_PAIRS = "INSUFFICIENT_PAIRS"


def part(tables: OutcomeTables, params: dict[str, Any]) -> tuple[list[PairedGroup | None], Part]:
    """Each outcome's overall group (None without prompts) and the part holding their effects."""
    groups = [paired_groups(table, params["alpha"])[0] for table in tables.overall]
    members = []
    for outcome, group in zip(OUTCOMES, groups, strict=True):
        if group is None:
            continue
        warn_at, fail_at = outcome.bands(params)
        members.append(
            group.effect(
                outcome.code,
                warn_at=warn_at,
                fail_at=fail_at,
                describe=words.describer(outcome.name, group),
                unsettled_code=INSUFFICIENT_PAIRS,
            )
        )
    return groups, Part(gated=tuple(members))


def judgements(groups: list[PairedGroup | None], composed: Composed) -> list[PairedJudgement | None]:
    """The groups joined to their judged members (the composed family is this part's, in order)."""
    judged = iter(item for item in composed.judged if item.member.slice is None)
    return [None if group is None else PairedJudgement.of(group, next(judged)) for group in groups]


def report(
    judged: list[PairedJudgement | None], tables: OutcomeTables, params: dict[str, Any]
) -> tuple[dict[str, Metric], list[Finding], list[str]]:
    """Metrics, findings and the FAIL/WARN sentences of the overall family, outcome by outcome."""
    metrics: dict[str, Metric] = {}
    findings: list[Finding] = []
    reasons: list[str] = []
    members = sum(judgement is not None for judgement in judged)  # the overall Holm family
    for outcome, judgement, table in zip(OUTCOMES, judged, tables.overall, strict=True):
        if judgement is None:
            findings.append(Finding("info", "NO_PROMPTS", words.no_prompts(outcome.name, outcome.expected)))
            continue
        metrics.update(judgement.metrics(outcome.rate, outcome.name))
        sentence = words.regression(outcome.name, judgement)
        if judgement.verdict in (Verdict.FAIL, Verdict.WARN):
            findings.append(Finding(judgement.verdict.value.lower(), outcome.code, sentence))
            reasons.append(sentence)
        elif judgement.verdict is Verdict.INCONCLUSIVE:
            fail_at = outcome.bands(params)[1]
            size = mcnemar_size(
                fail_at,
                discordance=float(table.discordance[0]),
                alpha=params["alpha"],
                members=members,
                unit=f"{outcome.name} pairs",
                effect=words.rise(outcome.name, fail_at),
            )
            findings.append(Finding("warn", INSUFFICIENT_PAIRS, words.insufficient(sentence, fail_at, size)))
            metrics[f"n_required.{outcome.name}"] = Metric(size.n)
    return metrics, findings, reasons
