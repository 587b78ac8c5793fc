"""The one composer: every part's gated effects and tests form ONE Holm family per check.

One family per check keeps the chance of any false FAIL at alpha however many parts, slices and
dimensions the check looks at (docs/decisions/holm-per-check.md). The gate rule (`verdicts.gate_rule`)
turns each adjusted effect into a verdict; a slice that cannot be settled is reported as
UNDERPOWERED_SLICE unless the user declared it required.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

from airflow_evalguard.core.part import GatedEffect, Part, TestedClaim
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.stats.multiplicity import holm_adjust
from airflow_evalguard.verdicts import SliceVerdict, Verdict, gate_rule, overall_verdict, worst

UNDERPOWERED_SLICE = "UNDERPOWERED_SLICE"


@dataclass(frozen=True)
class Judged:
    """One family member with its Holm-adjusted p-value and verdict."""

    member: GatedEffect | TestedClaim
    p_adjusted: float | None
    significant: bool
    verdict: Verdict


@dataclass(frozen=True)
class Composed:
    verdict: Verdict
    metrics: dict[str, Metric]
    findings: tuple[Finding, ...]
    slices: tuple[SliceResult, ...]
    headline: tuple[str, ...]  # FAIL/WARN sentences of every part, most important first
    judged: tuple[Judged, ...]  # the family in the order the parts gave it
    underpowered: tuple[str, ...]


def judge_members(members: Sequence[GatedEffect | TestedClaim], alpha: float) -> list[Judged]:
    """Holm across `members`, then the gate rule (effects) or the test's own verdicts (claims)."""
    adjusted = holm_adjust([m.p_value for m in members])
    judged = []
    for member, p_adj in zip(members, adjusted, strict=True):
        if isinstance(member, TestedClaim):
            significant = p_adj is not None and p_adj < alpha
            verdict = member.if_significant if significant else member.otherwise
        else:
            significant = p_adj < alpha if p_adj is not None else (member.ci_low is not None and member.ci_low > 0)
            verdict = gate_rule(member.value, member.ci_high, significant, member.warn_at, member.fail_at)
        judged.append(Judged(member, p_adj, significant, verdict))
    return judged


def _finding(judged: Judged) -> Finding:
    member, verdict = judged.member, judged.verdict
    severity = "warn" if verdict is Verdict.INCONCLUSIVE else verdict.value.lower()
    code = member.code
    if isinstance(member, GatedEffect) and verdict is Verdict.INCONCLUSIVE:
        code = member.unsettled_code or f"{member.code}_UNSETTLED"
    return Finding(severity, code, member.describe(verdict), member.slice)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def compose(
    parts: Sequence[Part],
    *,
    alpha: float,
    required_slices: Collection[str] = (),
    underpowered: Callable[[list[str]], str] | None = None,
) -> Composed:
    """Combine `parts` into one verdict.

    `underpowered(names)` words the UNDERPOWERED_SLICE finding (default: "N slice(s) with too few
    rows to settle: a, b"); `required_slices` are slices whose INCONCLUSIVE makes the whole result
    INCONCLUSIVE instead.
    """
    members: list[GatedEffect | TestedClaim] = []
    for part in parts:
        members.extend(part.gated)
        members.extend(part.tested)
    judged = judge_members(members, alpha)
    metrics: dict[str, Metric] = {}
    findings: list[Finding] = []
    headline: list[str] = []
    validity: list[Verdict] = []
    for part in parts:
        metrics.update(part.metrics)
        findings.extend(part.findings)
        validity.extend(part.validity)
        headline.extend(part.headline)
    overall: list[Verdict] = []
    per_slice: dict[str, list[Verdict]] = {}
    for item in judged:
        member = item.member
        if member.p_metric is not None:
            metrics[member.p_metric] = Metric(item.p_adjusted)
        if member.slice is None:
            overall.append(item.verdict)
        else:
            per_slice.setdefault(member.slice, []).append(item.verdict)
        if item.verdict is not Verdict.PASS and member.report:
            finding = _finding(item)
            findings.append(finding)
            if item.verdict in (Verdict.FAIL, Verdict.WARN):
                headline.append(_sentence(finding.message))
    slices = _slices(parts, per_slice)
    verdict, unsettled = overall_verdict(
        overall, validity, [SliceVerdict(s.slice, s.verdict, s.slice in required_slices) for s in slices]
    )
    unsettled = list(dict.fromkeys([*unsettled, *(name for part in parts for name in part.unsettled)]))
    if unsettled:
        words = (
            underpowered(unsettled)
            if underpowered
            else (f"{len(unsettled)} slice(s) with too few rows to settle: {', '.join(unsettled)}")
        )
        findings.append(Finding("warn", UNDERPOWERED_SLICE, words))
    return Composed(verdict, metrics, tuple(findings), tuple(slices), tuple(headline), tuple(judged), tuple(unsettled))


def _slices(parts: Sequence[Part], per_slice: dict[str, list[Verdict]]) -> list[SliceResult]:
    floors: dict[str, Verdict] = {}
    for part in parts:
        for name, floor in part.slice_validity.items():
            floors[name] = worst([floors.get(name, Verdict.PASS), floor])
    return [
        replace(s, verdict=worst([*per_slice.get(s.slice, []), floors.get(s.slice, Verdict.PASS)]))
        for part in parts
        for s in part.slices
    ]
