"""output_contract's sentences: findings and the summary."""

from __future__ import annotations

from collections.abc import Callable

from airflow_evalguard.contracts.gx_runner import ExpectationOutcome
from airflow_evalguard.contracts.loader import Contract
from airflow_evalguard.core.number_words import count, points, points_interval, tally
from airflow_evalguard.verdicts import Verdict


def violation_message(label: str, outcome: ExpectationOutcome) -> str:
    if outcome.error:
        return f"{label} ({outcome.spec.type}) could not be checked: {outcome.error.splitlines()[0][:300]}"
    rows = outcome.unexpected_index[:5]
    where = f"; first rows {rows}" if rows else ""
    of = f" of {count(outcome.element_count)}" if outcome.element_count is not None else ""
    if outcome.unexpected_count is None:
        return f"{label} ({outcome.spec.type}) failed (observed {outcome.observed!r})"
    return f"{label} ({outcome.spec.type}): {count(outcome.unexpected_count)}{of} row(s) break it{where}"


def escalation_text(
    base_rate: float, cand_rate: float, delta: float, low: float, high: float, warn_at: float, fail_at: float
) -> str:
    return (
        f"escalation rate {base_rate:.1%} -> {cand_rate:.1%} ({points(delta)}, CI {points_interval(low, high)}; "
        f"band warn {points(warn_at, signed_change=False)}, fail {points(fail_at, signed_change=False)})"
    )


def escalation_wording(text: str, fail_at: float) -> Callable[[Verdict], str]:
    """The finding's message once the band's verdict is known."""

    def describe(verdict: Verdict) -> str:
        if verdict is Verdict.INCONCLUSIVE:
            return f"{text}: too few records to rule out a shift of {points(fail_at, signed_change=False)}"
        return text

    return describe


def automated_message(automated: int, applies: int, consumers: dict[str, int], limit: float) -> str:
    return (
        f"{automated:,} of {applies:,} escalations meant for a human were handled by {tally(consumers)} "
        f"({automated / applies:.1%} > {limit:.1%} allowed): the escalation contract no longer reaches a person"
    )


def summary(
    verdict: Verdict,
    contract: Contract,
    outcomes: list[ExpectationOutcome],
    escalation: str | None,
    escalation_verdict: Verdict | None,
    automated: int,
    n_records: int,
) -> str:
    failed = [outcome for outcome in outcomes if not outcome.success]
    name = f"contract '{contract.name}' v{contract.version}"
    parts = []
    if failed:
        parts.append(f"{len(failed)} of {len(outcomes)} expectations fail")
    if automated:
        parts.append(f"{automated:,} escalations were answered by an automated consumer")
    if escalation is not None and escalation_verdict is not Verdict.PASS:
        parts.append(escalation)
    if verdict is Verdict.PASS:
        tail = f"; {escalation}" if escalation else ""
        return f"{n_records:,} records meet {name}: all {len(outcomes)} expectations hold{tail}."
    return f"{n_records:,} records vs {name}: " + "; ".join(parts) + "."
