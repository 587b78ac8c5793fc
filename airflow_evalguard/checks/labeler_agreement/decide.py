"""labeler_agreement: read the labels, measure every batch, judge the homogenization gate
(core.compose), word the result."""

from __future__ import annotations

from typing import Any

import pandas as pd

from airflow_evalguard.checks.common.settle import with_sizes
from airflow_evalguard.checks.labeler_agreement import homogenization, read, readings, words
from airflow_evalguard.checks.labeler_agreement.read import BATCH
from airflow_evalguard.checks.labeler_agreement.readings import READINGS, Batches
from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.io import TableInput
from airflow_evalguard.verdicts import Verdict, validate_bands

METHOD = {
    "ci_method": "percentile bootstrap over items (per-item sufficient statistics), per batch",
    "trend_method": "least-squares fitted change first->last batch; CI from per-batch bootstrap replicates",
    "sizing": "items per batch scaled from alpha's trend interval, sized for a fail_at rise at 80% power",
    "decision": "intersection-union: alpha trend CI > 0 and discrimination trend CI < 0 and gold trend "
    "not > 0; then the gate rule on the alpha rise",
}


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    validate_bands(params["warn_at"], params["fail_at"])
    labels, gold = read.read(tables, params["id_column"])
    batches = readings.measure(labels, gold, params)
    trends = homogenization.trends(batches, params["alpha"])
    moved = words.moves(trends)

    def describe(verdict: Verdict) -> str:
        return words.gate(verdict, trends["alpha"].batches, moved, params["fail_at"])

    gate_part = homogenization.part(trends, params, describe, moved, homogenization.items_per_batch(batches))
    composed = with_sizes(compose([gate_part, homogenization.batch_part(batches)], alpha=params["alpha"]))
    (gate,) = composed.judged
    # The notes follow the gate's finding (compose lists a part's own findings before the family's).
    findings = (*composed.findings, *words.notes(batches.unpairable, "gold_accuracy" in trends))
    homogenized = gate.significant and gate.verdict is not Verdict.PASS
    return Decision(
        composed.verdict,
        words.summary(composed.verdict, homogenized, trends, moved),
        composed.metrics,
        composed.slices,
        findings,
        method={"batch_order_used": [str(batch) for batch in batches.order], **METHOD},
        evidence=_evidence(batches),
    )


def _evidence(batches: Batches) -> pd.DataFrame:
    """Per batch: every reading, the pairable items and (from rows) the labelers."""
    sizes = batches.sizes
    return pd.DataFrame(
        {
            BATCH: [str(batch) for batch in batches.order],
            **{reading: batches.per_batch[reading] for reading in READINGS},
            "items": [size[0] for size in sizes],
            **({"labelers": [size[1] for size in sizes]} if sizes[0][1] is not None else {}),
        }
    )
