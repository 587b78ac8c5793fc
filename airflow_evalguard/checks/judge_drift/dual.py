"""Dual-judge overlap window: both systems scored by the old and the new judge snapshot.

The lift (candidate minus baseline) is measured under each judge on the same items; their
difference is the ruler effect, the part of a lift under the new judge that the new judge made.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.shift import paired_shift
from airflow_evalguard.core.part import Part
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict

SYSTEMS = ("baseline", "candidate")


def pick_judges(models: list[str], old: str | None, new: str | None, pinned: list[str] | None) -> tuple[str, str]:
    """Which snapshot is old and which new: the params, else the pinned one is old."""
    if len(models) != 2 and not (old and new):
        raise EvalGuardInputError(
            f"input 'dual': needs exactly two judge snapshots, found {len(models)}: {models[:10]}; "
            "or set old_judge and new_judge",
            input_name="dual",
            column="judge_model",
        )
    if old is None and new is None and pinned:
        in_pin = [model for model in models if model in set(pinned)]
        if len(in_pin) == 1:
            old = in_pin[0]
    if old is None and new is not None:
        old = next((model for model in models if model != new), None)
    if new is None and old is not None:
        new = next((model for model in models if model != old), None)
    if old is None or new is None:
        raise EvalGuardInputError(
            f"input 'dual': cannot tell the old judge from the new among {models}; set old_judge (or pinned_judge)",
            input_name="dual",
            column="judge_model",
        )
    for name, value in (("old_judge", old), ("new_judge", new)):
        if value not in models:
            raise EvalGuardInputError(
                f"param '{name}' {value!r} does not appear in input 'dual' ({models})",
                input_name="dual",
                column="judge_model",
            )
    return old, new


def paired_cells(frame: pd.DataFrame, old: str, new: str) -> tuple[pd.DataFrame, int]:
    """Items with all four scores (system x judge) as columns, and how many items lacked one."""
    wide = frame.pivot_table(index="item_id", columns=["system", "judge_model"], values="score", aggfunc="first")
    cells = [(system, judge) for system in SYSTEMS for judge in (old, new)]
    for cell in cells:
        if cell not in wide.columns:
            raise EvalGuardInputError(
                f"input 'dual': no scores for system={cell[0]!r} by judge {cell[1]!r}",
                input_name="dual",
                column="system",
            )
    wide = wide[cells].dropna()
    if len(wide) < 2:
        raise EvalGuardInputError(
            "input 'dual': fewer than two items scored for both systems by both judges; the ruler effect needs "
            "paired items",
            input_name="dual",
            column="item_id",
        )
    return wide, int(frame["item_id"].nunique() - len(wide))


def dual_part(frame: pd.DataFrame, old: str, new: str, params: dict[str, Any]) -> Part:
    """`frame`: item_id, system, judge_model, score (NaN = parse failure)."""
    wide, dropped = paired_cells(frame, old, new)
    lift_old = (wide[("candidate", old)] - wide[("baseline", old)]).to_numpy()
    lift_new = (wide[("candidate", new)] - wide[("baseline", new)]).to_numpy()
    resampling = {"alpha": params["alpha"], "n_boot": params["n_boot"], "seed": params["seed"]}
    zero = np.zeros(len(wide))
    under_old = paired_shift(lift_old, zero, **resampling)
    under_new = paired_shift(lift_new, zero, **resampling)
    ruler = paired_shift(lift_new, lift_old, **resampling)
    n = len(wide)
    metrics = {
        "lift.old_judge": Metric(under_old.value, under_old.ci_low, under_old.ci_high, n=n),
        "lift.new_judge": Metric(under_new.value, under_new.ci_low, under_new.ci_high, n=n),
        "ruler_effect": Metric(ruler.value, ruler.ci_low, ruler.ci_high, n=n),
        "lift.new_judge_net_of_ruler": Metric(under_new.value - ruler.value, n=n),
    }
    findings: tuple[Finding, ...] = ()
    if dropped:
        findings = (
            Finding(
                "info",
                "DUAL_ITEMS_INCOMPLETE",
                f"{dropped} dual-window item(s) lack one of the four scores (system x judge) "
                "and are left out of the lift comparison",
            ),
        )
    warn_at, fail_at = params["max_shift"]

    def words(verdict: Verdict) -> str:
        return (
            f"the lift is {under_new.value:+.3f} under the new judge {new!r} and {under_old.value:+.3f} under the "
            f"old {old!r} on {n:,} items: the ruler effect is {ruler.value:+.3f} ("
            f"{ruler.ci_words()}); net of it the lift is {under_new.value - ruler.value:+.3f}"
        )

    # Two-sided: a ruler that inflates or deflates the lift both mislead.
    effect = ruler.as_sized_effect(
        "RULER_EFFECT", warn_at, fail_at, words, alpha=params["alpha"], unit="dual-window items"
    )
    return Part(metrics=metrics, findings=findings, gated=(effect,))
