"""The rejection part: how many rows break which rule, where the PII sits, and whether the
rejected share is within `max_rejected_share`.

Shares here are facts about this set, not estimates: the set is what will be trained on, so
the limit applies to the observed share directly (FAIL above it; WARN when any row is
quarantined, since the accepted set is then clean but smaller).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from airflow_evalguard.checks.feedback_provenance import words
from airflow_evalguard.checks.feedback_provenance.rules import Screened
from airflow_evalguard.core.part import Part
from airflow_evalguard.pii.messages import redacted
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict


def part(frame: pd.DataFrame, screened: Screened, params: dict[str, Any]) -> Part:
    """Counts per rule, kind and column; the share finding; a slice per rule (WARN where it bites)."""
    share_finding, verdict = _share(screened, params["max_rejected_share"])
    findings = [
        *share_finding,
        *_non_production(frame, screened, params["allowed_environments"]),
        *_pii(screened, params["pii_action"]),
    ]
    slices = tuple(
        SliceResult(
            f"rule={name}",
            Verdict.PASS,  # the composer sets it from slice_validity
            {"rows": Metric(int(mask.sum()), n=screened.rows), "share": Metric(float(mask.mean()), n=screened.rows)},
        )
        for name, mask in screened.rules.items()
    )
    return Part(
        metrics=_metrics(screened),
        findings=tuple(findings),
        validity=(verdict,),
        slices=slices,
        slice_validity={f"rule={name}": Verdict.WARN for name, mask in screened.rules.items() if mask.any()},
    )


def _metrics(screened: Screened) -> dict[str, Metric]:
    rows, rejected = screened.rows, screened.rejected
    metrics = {
        "rows": Metric(rows),
        "accepted": Metric(int((~rejected).sum())),
        "rejected": Metric(int(rejected.sum())),
        "rejected_share": Metric(float(rejected.mean()), n=rows),
    }
    for name, mask in screened.rules.items():
        metrics[f"rule_failures[{name}]"] = Metric(int(mask.sum()), n=rows)
        metrics[f"rule_failure_share[{name}]"] = Metric(float(mask.mean()), n=rows)
    for column, kind in enumerate(screened.kinds):
        metrics[f"pii_rows[{kind}]"] = Metric(int(screened.hits[:, column].sum()), n=rows)
    metrics["pii_rows"] = Metric(int(screened.pii_any.sum()), n=rows)
    for name, count in _pii_rows_per_column(screened).items():
        metrics[f"pii_rows_in_column[{name}]"] = Metric(count, n=rows)
    return metrics


def _pii_rows_per_column(screened: Screened) -> dict[str, int]:
    return {str(column): int(found.hits.any(axis=1).sum()) for column, found in screened.scans.items()}


def _share(screened: Screened, limit: float) -> tuple[list[Finding], Verdict]:
    rejected, rows = screened.rejected, screened.rows
    share = float(rejected.mean())
    counts = sorted(((int(mask.sum()), name) for name, mask in screened.rules.items() if mask.any()), reverse=True)
    reasons = words.why(counts)
    count = int(rejected.sum())
    if share > limit:
        return [
            Finding("fail", "REJECTED_SHARE", words.rejected_share(count, rows, share, limit, reasons))
        ], Verdict.FAIL
    if rejected.any():
        return [Finding("warn", "ROWS_QUARANTINED", words.quarantined(count, rows, share, reasons))], Verdict.WARN
    return [], Verdict.PASS


def _non_production(frame: pd.DataFrame, screened: Screened, allowed: list[Any] | None) -> list[Finding]:
    outside = screened.rules.get("environment_not_allowed")
    if outside is None or not outside.any() or allowed is None:
        return []
    counts = frame.loc[outside, "environment"].astype("string").fillna("<missing>").value_counts().head(5)
    shown = {redacted(name): int(rows) for name, rows in counts.items()}
    return [Finding("warn", "NON_PRODUCTION_FEEDBACK", words.non_production(int(outside.sum()), allowed, shown))]


def _pii(screened: Screened, action: str) -> list[Finding]:
    findings = []
    if screened.pii_any.any():
        hits = screened.hits
        found = {
            kind: int(hits[:, column].sum()) for column, kind in enumerate(screened.kinds) if hits[:, column].any()
        }
        where = {name: count for name, count in _pii_rows_per_column(screened).items() if count}
        message = words.pii_found(int(screened.pii_any.sum()), found, where, redacted=action == "redact")
        findings.append(Finding("info" if action == "redact" else "warn", "PII_FOUND", message))
    unredactable = screened.rules.get("pii_not_redactable")
    if unredactable is not None:
        findings.append(Finding("warn", "PII_NOT_REDACTABLE", words.pii_not_redactable(int(unredactable.sum()))))
    return findings
