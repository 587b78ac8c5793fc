"""The two axes of each criterion: did the humans move (rubric axis), did the judge move
relative to the humans (judge axis)?

On paired items, per criterion: rubric = human_cand - human_base and
judge = (judge - human)_cand - (judge - human)_base, each a paired mean shift with its interval.
Each axis is a two-sided gated effect (|shift|, its largest absolute bound) in the check's family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.shift import Shift, paired_shift
from airflow_evalguard.checks.rubric_drift import words
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.result import Metric, SliceResult
from airflow_evalguard.verdicts import Verdict

AXES = ("rubric", "judge")
CODES = {"rubric": "RUBRIC_AXIS_DRIFT", "judge": "JUDGE_AXIS_DRIFT"}
LEVELS = ("h_base", "h_cand", "j_base", "j_cand")


@dataclass(frozen=True)
class CriterionAxes:
    criterion: str
    rubric: Shift
    judge: Shift
    levels: dict[str, float]  # mean human and judge score per period (LEVELS)
    weight: float  # the criterion's normalised composite weight

    @property
    def slice(self) -> str:
        return f"criterion={self.criterion}"

    @property
    def contribution(self) -> float:
        """This criterion's share of the composite change (the shares add up to it exactly)."""
        return self.weight * (self.rubric.value + self.judge.value)

    def shift(self, axis: str) -> Shift:
        return self.rubric if axis == "rubric" else self.judge


def measure(
    wide: pd.DataFrame, criteria: list[str], weights: dict[str, float], params: dict[str, Any]
) -> list[CriterionAxes]:
    """Both axes of every criterion from the paired means (`paired.paired_means`)."""
    measured = []
    for criterion in criteria:
        items = wide.xs(criterion, level="criterion").sort_index()
        rubric = (items["h_cand"] - items["h_base"]).to_numpy()
        judge = ((items["j_cand"] - items["h_cand"]) - (items["j_base"] - items["h_base"])).to_numpy()
        measured.append(
            CriterionAxes(
                criterion,
                _shift(rubric, params),
                _shift(judge, params),
                {level: float(items[level].mean()) for level in LEVELS},
                weights[criterion],
            )
        )
    return measured


def _shift(change: np.ndarray, params: dict[str, Any]) -> Shift:
    return paired_shift(
        change, np.zeros(len(change)), alpha=params["alpha"], n_boot=params["n_boot"], seed=params["seed"]
    )


def _metric(shift: Shift) -> Metric:
    return Metric(shift.value, shift.ci_low, shift.ci_high, n=shift.n)


def part(axes: list[CriterionAxes], params: dict[str, Any]) -> Part:
    """Metrics, one slice per criterion and both axes as gated effects (their findings are worded
    after the family is judged: an unsettled axis has none of its own)."""
    metrics: dict[str, Metric] = {}
    gated: list[GatedEffect] = []
    slices = []
    for crit in axes:
        metrics[f"rubric_axis[{crit.criterion}]"] = _metric(crit.rubric)
        metrics[f"judge_axis[{crit.criterion}]"] = _metric(crit.judge)
        metrics[f"composite_contribution[{crit.criterion}]"] = Metric(crit.contribution, n=crit.rubric.n)
        levels = crit.levels
        slices.append(
            SliceResult(
                crit.slice,
                Verdict.PASS,  # the composer sets it from the two axes
                {
                    "rubric_axis": _metric(crit.rubric),
                    "judge_axis": _metric(crit.judge),
                    "human.baseline": Metric(levels["h_base"]),
                    "human.candidate": Metric(levels["h_cand"]),
                    "judge.baseline": Metric(levels["j_base"]),
                    "judge.candidate": Metric(levels["j_cand"]),
                    "weight": Metric(crit.weight),
                    "composite_contribution": Metric(crit.contribution),
                },
            )
        )
        gated.extend(_effect(crit, axis, params) for axis in AXES)
    return Part(metrics=metrics, gated=tuple(gated), slices=tuple(slices))


def _effect(crit: CriterionAxes, axis: str, params: dict[str, Any]) -> GatedEffect:
    shift = crit.shift(axis)

    def describe(_verdict: Verdict) -> str:
        return words.axis(crit.criterion, axis, shift, crit.levels)

    return shift.as_sized_effect(
        CODES[axis],
        params["warn_at"],
        params["fail_at"],
        describe,
        alpha=params["alpha"],
        slice=crit.slice,
        report=False,
    )


def evidence(axes: list[CriterionAxes], verdicts: dict[tuple[str | None, str], Verdict]) -> pd.DataFrame:
    """One row per criterion and axis: the shift, its interval and verdict."""
    rows = [
        {
            "criterion": crit.criterion,
            "axis": axis,
            "shift": crit.shift(axis).value,
            "ci_low": crit.shift(axis).ci_low,
            "ci_high": crit.shift(axis).ci_high,
            "n": crit.shift(axis).n,
            "verdict": verdicts[(crit.slice, CODES[axis])].value,
        }
        for crit in axes
        for axis in AXES
    ]
    return pd.DataFrame(rows)
