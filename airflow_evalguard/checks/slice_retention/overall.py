"""Did the student drop overall? One gated effect, its own Holm family of one (composed in
core.compose; the slices are a family of their own)."""

from __future__ import annotations

from typing import Any

import numpy as np

from airflow_evalguard.checks.slice_retention import words
from airflow_evalguard.checks.slice_retention.drops import Drops, drops, size
from airflow_evalguard.checks.slice_retention.read import Sample
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.result import Finding, Metric

OVERALL_DROP = "OVERALL_DROP"  # the member's code; its finding (AVERAGE_*) is worded once the slices are known
OVERALL_DROP_UNSETTLED = "OVERALL_DROP_UNSETTLED"


def part(sample: Sample, params: dict[str, Any]) -> tuple[Drops, Part]:
    entries = len(next(iter(sample.slice_values.values()))[0])
    overall = drops(sample, np.zeros(entries, dtype=np.int64), 1, params)
    drop, low, high = float(overall.drop[0]), float(overall.lo[0]), float(overall.hi[0])
    effect = GatedEffect(
        code=OVERALL_DROP,
        value=drop,
        ci_high=high,
        p_value=overall.p_value(0, params["warn_at"]),
        warn_at=params["warn_at"],
        fail_at=params["fail_at"],
        describe=words.overall_describer(drop, params["metric"]),
        ci_low=low,
        report=False,
    )
    metrics = {
        "teacher": Metric(float(overall.teacher[0]), n=sample.n_total),
        "student": Metric(float(overall.student[0]), n=sample.n_total),
        "drop": Metric(drop, low, high, n=sample.n_total),
    }
    return overall, Part(metrics=metrics, gated=(effect,))


def unsettled(overall: Drops, params: dict[str, Any]) -> Finding:
    """An INCONCLUSIVE overall drop names the examples that would settle it (its Holm family is itself)."""
    fail_at = float(params["fail_at"])
    needed = size(fail_at, overall.spread, params, members=1, at_least=overall.at_least(0, 1))
    message = words.overall_unsettled(
        float(overall.drop[0]), float(overall.lo[0]), float(overall.hi[0]), fail_at, needed, params["metric"]
    )
    return Finding("warn", OVERALL_DROP_UNSETTLED, message)
