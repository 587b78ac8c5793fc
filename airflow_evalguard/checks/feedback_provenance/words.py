"""feedback_provenance's sentences: the findings of each part and the summary.

Names from data (environments, author ids) reach a message only redacted by every detector.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.core.number_words import listing, tally
from airflow_evalguard.result import Finding


def why(counts: Sequence[tuple[int, str]]) -> str:
    """`counts`: (rows, rule) of every rule some row breaks, most rows first."""
    return ", ".join(f"{name} {count:,}" for count, name in counts)


def rejected_share(rejected: int, rows: int, share: float, limit: float, reasons: str) -> str:
    return (
        f"{rejected:,} of {rows:,} candidate rows ({share:.1%}) break provenance rules, above the {limit:.1%} "
        f"allowed ({reasons}): the pipeline feeding training is leaking"
    )


def quarantined(rejected: int, rows: int, share: float, reasons: str) -> str:
    return f"{rejected:,} of {rows:,} rows ({share:.1%}) quarantined ({reasons}); the accepted set is clean"


def non_production(rows: int, allowed: list[Any], shown: dict[str, int]) -> str:
    """`shown`: the most frequent outside environments (redacted) and their rows."""
    return f"{rows:,} rows come from environments outside {listing(allowed)}: {tally(shown)}"


def pii_found(rows: int, found: dict[str, int], where: dict[str, int], redacted: bool) -> str:
    action = "redacted (in every output)" if redacted else "quarantined"
    return f"{rows:,} rows hold PII or secrets ({tally(found)}; rows per column: {tally(where)}); {action}"


def pii_not_redactable(rows: int) -> str:
    return (
        f"{rows:,} rows hold PII in cells that cannot be redacted in place (numbers; JSON objects whose PII spans "
        "several values): quarantined, with those cells emptied"
    )


def author_concentration(who: str, share: float, rows: int, accepted: int, limit: float) -> str:
    return (
        f"one author ({who}) supplies {share:.1%} of the accepted set ({rows:,} of {accepted:,} rows), "
        f"above {limit:.1%}"
    )


def employee_feedback(share: float, types: list[Any], limit: float) -> str:
    return (
        f"{share:.1%} of the accepted set comes from authors of type {listing(types)}, above {limit:.1%}: "
        "the model would learn the team's taste, not the customers'"
    )


def summary(rows: int, accepted: int, rejected_share: float, findings: Sequence[Finding]) -> str:
    fails = [finding for finding in findings if finding.severity == "fail"]
    if fails:
        return (
            f"Do not train on this feedback as is: {'; '.join(finding.message for finding in fails)}. "
            f"{accepted:,} of {rows:,} rows would be accepted."
        )
    if accepted < rows:
        return (
            f"{accepted:,} of {rows:,} feedback rows accepted for training; {rows - accepted:,} quarantined "
            f"({rejected_share:.1%}) with their reasons."
        )
    return (
        f"All {rows:,} feedback rows meet the provenance contract (environment, surface, consent, PII, concentration)."
    )
