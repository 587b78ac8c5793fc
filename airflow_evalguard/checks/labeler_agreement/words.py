"""labeler_agreement's sentences: what moved, the gate's finding, the notes and the summary."""

from __future__ import annotations

from airflow_evalguard.core.number_words import signed
from airflow_evalguard.result import Finding
from airflow_evalguard.stats.trend import Trend
from airflow_evalguard.verdicts import Verdict


def moves(trends: dict[str, Trend]) -> str:
    """Each reading's trend in one clause: rose, fell or did not move, with its interval."""
    clauses = []
    for reading in ("alpha", "entropy", "discrimination", "gold_accuracy", "unanimous_share"):
        change = trends.get(reading)
        if change is None:
            continue
        state = "rose" if change.rising else "fell" if change.falling else "did not move significantly"
        clauses.append(
            f"{reading} {state} ({change.first:.2f} -> {change.last:.2f}, fitted {signed(change.change)}, "
            f"CI {signed(change.ci_low)} to {signed(change.ci_high)})"
        )
    return "; ".join(clauses)


def gate(verdict: Verdict, batches: int, moved: str, fail_at: float) -> str:
    """The gate's finding: HOMOGENIZATION (FAIL/WARN) or INSUFFICIENT_ITEMS (INCONCLUSIVE)."""
    if verdict is Verdict.INCONCLUSIVE:
        return f"the batches cannot rule out a homogenizing rise in alpha of {fail_at}: {moved}"
    return f"labelers homogenized over {batches} batches: {moved}"


def notes(unpairable: int, has_gold: bool) -> list[Finding]:
    found = []
    if unpairable:
        found.append(
            Finding(
                "info",
                "UNPAIRABLE_ITEMS",
                f"{unpairable} item(s) have a single label: they carry no agreement information and "
                "are left out of alpha, entropy, unanimity and discrimination",
            )
        )
    if not has_gold:
        found.append(
            Finding(
                "info",
                "NO_GOLD",
                "no gold labels: rising agreement cannot be told from rising "
                "accuracy; gold items make the homogenization test sharper",
            )
        )
    return found


def summary(verdict: Verdict, homogenized: bool, trends: dict[str, Trend], moved: str) -> str:
    rise, entropy, spread, gold = (
        trends["alpha"],
        trends["entropy"],
        trends["discrimination"],
        trends.get("gold_accuracy"),
    )
    if homogenized:
        accuracy = (
            "no gold labels to check accuracy"
            if gold is None
            else f"gold accuracy did not rise ({gold.first:.2f} -> {gold.last:.2f})"
        )
        return (
            f"Labelers homogenized: alpha rose {rise.first:.2f} -> {rise.last:.2f} over {rise.batches} batches while "
            f"discrimination fell {spread.first:.2f} -> {spread.last:.2f} and entropy {entropy.first:.2f} -> "
            f"{entropy.last:.2f} bits; {accuracy}. The labels are measuring less; do not trust the eval."
        )
    if verdict is Verdict.INCONCLUSIVE:
        return f"The batches are too small to rule out labeler homogenization: {moved}."
    return f"No labeler homogenization across {rise.batches} batches: {moved}."
