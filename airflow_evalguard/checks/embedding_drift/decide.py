"""embedding_drift: read each given input, run its part, judge the neighbourhood loss and the
retrieval drops as one family (core.compose), word the result."""

from __future__ import annotations

from typing import Any

import pandas as pd

from airflow_evalguard.checks.common.settle import unsettled_unreported
from airflow_evalguard.checks.embedding_drift import events, neighbours, read, retrieval, words
from airflow_evalguard.core.compose import Composed, compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.core.part import Part
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict, validate_bands

EVIDENCE_COLUMNS = ["part", "item", "arm", "value", "detail"]
METHOD = {
    "neighbour_search": "exact cosine (faiss IndexFlatIP)",
    "overlap_ci": "t interval over probes",
    "retrieval_ci": "paired bootstrap over queries",
    "retrieval_test": "paired t, holm across recall and ndcg",
    "sizing": (
        "probes: the t interval's power simulated from the observed losses; queries: scaled from each "
        "interval's half-width; sized for a fail_at effect at 80% power"
    ),
}


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    validate_bands(params["warn_at"], params["fail_at"])
    if not 0 <= params["min_overlap_fail"] <= params["min_overlap_warn"] <= 1:
        raise EvalGuardInputError("params: need 0 <= min_overlap_fail <= min_overlap_warn <= 1")
    run = read.parts_given(tables)
    # Each part runs right after its input is read: a bad input is reported in the order it always was.
    parts: list[Part] = []
    evidence: list[pd.DataFrame | None] = []
    if "events" in run:
        index, queries = read.events(tables["events"])
        mismatch, mismatched = events.mismatch(index, queries)
        parts += [mismatch, events.changes(queries)]
        evidence.append(mismatched)
    if "probe" in run:
        probe = read.probe(tables, params["id_column"], params["doc_column"])
        overlap = neighbours.measure(probe, params["k"], params["alpha"], params["seed"])
        parts.append(neighbours.part(overlap, probe, params))
        evidence.append(neighbours.evidence(overlap, probe.ids))
    drops: list[retrieval.Drop] = []
    if "relevance" in run:
        rows = read.relevance(
            tables["relevance"],
            params["old_version"],
            params["new_version"],
            params["query_column"],
            params["doc_column"],
        )
        drops = retrieval.measure(rows, params)
        parts.append(retrieval.part(drops, params))
        evidence += [drop.evidence for drop in drops]
    composed = compose(parts, alpha=params["alpha"])
    findings = (*composed.findings, *_gated_findings(composed, drops), *unsettled_unreported(composed))
    return Decision(
        composed.verdict,
        words.summary(composed.verdict, findings, run),
        composed.metrics,
        composed.slices,
        findings,
        method={"parts_run": run, **METHOD},
        evidence=_evidence(evidence),
    )


def _gated_findings(composed: Composed, drops: list[retrieval.Drop]) -> list[Finding]:
    """NEIGHBORHOOD_SHIFT then RETRIEVAL_REGRESSION findings, for effects that FAIL or WARN.

    An unsettled effect's finding (`<code>_UNSETTLED`, with the size that would settle it) follows them.
    """
    shift = [
        Finding(item.verdict.value.lower(), neighbours.CODE, item.member.describe(item.verdict))
        for item in composed.judged
        if item.member.code == neighbours.CODE and item.verdict in (Verdict.FAIL, Verdict.WARN)
    ]
    judged_drops = [item for item in composed.judged if item.member.code == retrieval.CODE]
    return shift + retrieval.findings(judged_drops, drops)


def _evidence(frames: list[pd.DataFrame | None]) -> pd.DataFrame:
    """Every part's evidence rows in one table (part, item, arm, value, detail)."""
    kept = [frame for frame in frames if frame is not None and len(frame)]
    table = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=EVIDENCE_COLUMNS)
    return table.astype({"item": str, "arm": object, "value": float, "detail": str})
