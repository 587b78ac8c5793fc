"""The composite: did the weighted score move, and did it hide opposite moves of the criteria?

The composite change is a paired shift of the items' weighted judge change; its rubric and judge
parts are the weighted sums of the criterion axes, so they add up to it exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.shift import Shift, paired_shift
from airflow_evalguard.checks.rubric_drift import words
from airflow_evalguard.checks.rubric_drift.axes import AXES, CODES, CriterionAxes
from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict

CODE = "COMPOSITE_DRIFT"


def measure(wide: pd.DataFrame, criteria: list[str], weights: dict[str, float], params: dict[str, Any]) -> Shift:
    """The paired shift of each item's weighted judge change, summed over criteria in order."""
    items: Any = 0.0  # a float until the first criterion adds its per-item array
    for criterion in criteria:
        scores = wide.xs(criterion, level="criterion").sort_index()
        items = items + weights[criterion] * (scores["j_cand"] - scores["j_base"]).to_numpy()
    change = np.asarray(items)
    return paired_shift(
        change, np.zeros(len(np.atleast_1d(items))), alpha=params["alpha"], n_boot=params["n_boot"], seed=params["seed"]
    )


def part(composite: Shift, axes: list[CriterionAxes], params: dict[str, Any]) -> Part:
    """The composite change with its rubric and judge parts, gated as one member of the family."""
    metrics = {
        "composite_change": Metric(composite.value, composite.ci_low, composite.ci_high, n=composite.n),
        "composite_change.rubric_axis": Metric(sum(crit.weight * crit.rubric.value for crit in axes)),
        "composite_change.judge_axis": Metric(sum(crit.weight * crit.judge.value for crit in axes)),
    }

    def describe(_verdict: Verdict) -> str:
        return words.composite(composite)

    effect = composite.as_sized_effect(
        CODE, params["warn_at"], params["fail_at"], describe, alpha=params["alpha"], report=False
    )
    return Part(metrics=metrics, gated=(effect,))


def hidden_drift(
    composite: Shift, axes: list[CriterionAxes], verdicts: dict[tuple[str | None, str], Verdict], warn_at: float
) -> Finding | None:
    """HIDDEN_DRIFT: some criterion axis FAILs while the composite stays below warn_at."""
    moved = [
        (crit.criterion, axis, crit.shift(axis).value)
        for crit in axes
        for axis in AXES
        if verdicts[(crit.slice, CODES[axis])] is Verdict.FAIL
    ]
    if not moved or abs(composite.value) >= warn_at:
        return None
    return Finding("fail", "HIDDEN_DRIFT", words.hidden(composite, moved))
