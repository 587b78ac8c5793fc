"""rubric_drift's sentences: the axis and composite findings, the notes and the summary."""

from __future__ import annotations

from collections.abc import Sequence

from airflow_evalguard.checks.common.shift import Shift
from airflow_evalguard.core.number_words import signed
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict


def axis(criterion: str, axis_name: str, shift: Shift, levels: dict[str, float]) -> str:
    if axis_name == "rubric":
        return (
            f"{criterion}: humans moved {signed(shift.value)} ({levels['h_base']:.2f} -> {levels['h_cand']:.2f}, "
            f"{shift.ci_words('.2f')}) and the judge with them: the rubric or its reading "
            "changed"
        )
    return (
        f"{criterion}: the judge moved {signed(shift.value)} relative to humans ("
        f"{shift.ci_words('.2f')}; judge {levels['j_base']:.2f} -> {levels['j_cand']:.2f}, humans "
        f"{levels['h_base']:.2f} -> {levels['h_cand']:.2f})"
    )


def composite(shift: Shift) -> str:
    return f"the composite moved {signed(shift.value, '.3f')} ({shift.ci_words()})"


def hidden(shift: Shift, moved: Sequence[tuple[str, str, float]]) -> str:
    """`moved`: (criterion, axis, shift) of every FAILing axis."""
    parts = ", ".join(f"{criterion} on the {axis_name} axis {signed(value)}" for criterion, axis_name, value in moved)
    return (
        f"the composite moved only {signed(shift.value, '.3f')} while {parts}: moves in opposite directions "
        "cancel in the composite"
    )


def notes(dropped: int, missing: int) -> tuple[Finding, ...]:
    out = []
    if dropped:
        out.append(
            Finding(
                "info",
                "INCOMPLETE_ITEMS_DROPPED",
                f"{dropped} item(s) lack a human or judge rating for some criterion in one period and "
                "are left out (the decomposition needs the same items everywhere)",
            )
        )
    if missing:
        out.append(Finding("info", "MISSING_SCORES", f"{missing} rating row(s) without a score were ignored"))
    return tuple(out)


def underpowered(names: list[str], fail_at: float) -> str:
    return f"{len(names)} criterion/criteria cannot rule out a shift of {fail_at}: {', '.join(names)}"


def summary(verdict: Verdict, findings: Sequence[Finding], shift: Shift, base: str, cand: str) -> str:
    hidden_finding = next((f for f in findings if f.code == "HIDDEN_DRIFT"), None)
    if hidden_finding:
        return (
            f"Rubric drift hidden by the composite ({base} -> {cand}): {hidden_finding.message}. "
            "Do not compare scores across these periods."
        )
    drift = [
        f
        for f in findings
        if f.code in ("RUBRIC_AXIS_DRIFT", "JUDGE_AXIS_DRIFT", "COMPOSITE_DRIFT") and f.severity in ("fail", "warn")
    ]
    if drift:
        return f"Scores drifted between {base} and {cand}: " + "; ".join(f.message for f in drift[:3]) + "."
    if verdict is Verdict.INCONCLUSIVE:
        return f"Too few paired items to rule out a criterion shift between {base} and {cand}."
    return (
        f"No rubric or judge drift between {base} and {cand} (composite {signed(shift.value, '.3f')}, "
        f"{shift.ci_words()})."
    )
