"""Dual-judge overlap window: both systems scored by the old and the new judge snapshot.

The lift (candidate minus baseline) is measured under each judge on the same items; their
difference is the ruler effect, the part of a lift under the new judge that the new judge made.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from airflow_evalguard.checks.judge.part import GatedEffect, PartResult
from airflow_evalguard.checks.common.shift import paired_shift
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict

SYSTEMS = ("baseline", "candidate")


def pick_judges(models: list[str], old: str | None, new: str | None, pinned: list[str] | None) -> tuple[str, str]:
    """Which snapshot is old and which new: the params, else the pinned one is old."""
    if len(models) != 2 and not (old and new):
        raise EvalGuardInputError(
            f"input 'dual': needs exactly two judge snapshots, found {len(models)}: {models[:10]}; "
            "or set old_judge and new_judge", input_name="dual", column="judge_model")
    if old is None and new is None and pinned:
        in_pin = [m for m in models if m in set(pinned)]
        if len(in_pin) == 1:
            old = in_pin[0]
    if old is None and new is not None:
        old = next((m for m in models if m != new), None)
    if new is None and old is not None:
        new = next((m for m in models if m != old), None)
    if old is None or new is None:
        raise EvalGuardInputError(
            f"input 'dual': cannot tell the old judge from the new among {models}; set old_judge (or pinned_judge)",
            input_name="dual", column="judge_model")
    for name, value in (("old_judge", old), ("new_judge", new)):
        if value not in models:
            raise EvalGuardInputError(f"param '{name}' {value!r} does not appear in input 'dual' ({models})",
                                      input_name="dual", column="judge_model")
    return old, new


def dual_part(frame: pd.DataFrame, old: str, new: str, p: dict) -> PartResult:
    """`frame`: item_id, system, judge_model, score (NaN = parse failure)."""
    part = PartResult()
    wide = frame.pivot_table(index="item_id", columns=["system", "judge_model"], values="score", aggfunc="first")
    cells = [(s, j) for s in SYSTEMS for j in (old, new)]
    for cell in cells:
        if cell not in wide.columns:
            raise EvalGuardInputError(f"input 'dual': no scores for system={cell[0]!r} by judge {cell[1]!r}",
                                      input_name="dual", column="system")
    wide = wide[cells].dropna()
    dropped = frame["item_id"].nunique() - len(wide)
    if len(wide) < 2:
        raise EvalGuardInputError(
            "input 'dual': fewer than two items scored for both systems by both judges; the ruler effect needs "
            "paired items", input_name="dual", column="item_id")
    lift_old = (wide[("candidate", old)] - wide[("baseline", old)]).to_numpy()
    lift_new = (wide[("candidate", new)] - wide[("baseline", new)]).to_numpy()
    kw = dict(alpha=p["alpha"], n_boot=p["n_boot"], seed=p["seed"])
    zero = np.zeros(len(wide))
    lo = paired_shift(lift_old, zero, **kw)
    ln = paired_shift(lift_new, zero, **kw)
    ruler = paired_shift(lift_new, lift_old, **kw)
    n = len(wide)
    part.metrics["lift.old_judge"] = Metric(lo.value, lo.ci_low, lo.ci_high, n=n)
    part.metrics["lift.new_judge"] = Metric(ln.value, ln.ci_low, ln.ci_high, n=n)
    part.metrics["ruler_effect"] = Metric(ruler.value, ruler.ci_low, ruler.ci_high, n=n)
    part.metrics["lift.new_judge_net_of_ruler"] = Metric(ln.value - ruler.value, n=n)
    if dropped:
        part.findings.append(Finding("info", "DUAL_ITEMS_INCOMPLETE",
                                     f"{dropped} dual-window item(s) lack one of the four scores (system x judge) "
                                     "and are left out of the lift comparison"))
    warn_at, fail_at = p["max_shift"]

    def words(verdict: Verdict) -> str:
        return (f"the lift is {ln.value:+.3f} under the new judge {new!r} and {lo.value:+.3f} under the old {old!r} "
                f"on {n:,} items: the ruler effect is {ruler.value:+.3f} (CI {ruler.ci_low:+.3f} to "
                f"{ruler.ci_high:+.3f}); net of it the lift is {ln.value - ruler.value:+.3f}")

    part.gated.append(GatedEffect("ruler_effect", abs(ruler.value), ruler.worst_abs, ruler.p, warn_at, fail_at,
                                  "RULER_EFFECT", words))
    return part
