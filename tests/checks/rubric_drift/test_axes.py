"""axes: the exact split of the judge's change into a rubric and a judge axis, and each axis's
interval against scipy's paired t test (beyond 2,000 items the check uses t)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from airflow_evalguard.checks.rubric_drift import axes
from airflow_evalguard.core.compose import judge_members
from airflow_evalguard.verdicts import Verdict

PARAMS = {"alpha": 0.05, "n_boot": 200, "seed": 0, "warn_at": 0.2, "fail_at": 0.5}


def _wide(n, human_shift=0.0, judge_shift=0.0, seed=0):
    rng = np.random.default_rng(seed)
    truth = rng.normal(3, 0.7, n)
    frame = pd.DataFrame(
        {
            "h_base": truth + rng.normal(0, 0.3, n),
            "j_base": truth + rng.normal(0, 0.3, n),
            "h_cand": truth + human_shift + rng.normal(0, 0.3, n),
            "j_cand": truth + human_shift + judge_shift + rng.normal(0, 0.3, n),
        }
    )
    frame.index = pd.MultiIndex.from_product([["a"], [f"i{k:05d}" for k in range(n)]], names=["criterion", "item_id"])
    return frame


def test_rubric_plus_judge_axis_is_the_judges_change():
    wide = _wide(300, human_shift=0.4, judge_shift=-0.3)
    [crit] = axes.measure(wide, ["a"], {"a": 1.0}, PARAMS)
    judge_change = (wide.j_cand - wide.j_base).mean()
    assert crit.rubric.value + crit.judge.value == pytest.approx(judge_change)
    assert crit.rubric.value == pytest.approx((wide.h_cand - wide.h_base).mean())
    assert crit.contribution == pytest.approx(judge_change)


def test_axis_interval_is_scipys_paired_t_when_large():
    wide = _wide(2500, human_shift=0.1)
    [crit] = axes.measure(wide, ["a"], {"a": 1.0}, PARAMS)
    ci = stats.ttest_rel(wide.h_cand, wide.h_base).confidence_interval(0.95)
    assert (crit.rubric.ci_low, crit.rubric.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)


def test_part_gates_each_axis_by_its_absolute_shift():
    wide = _wide(400, human_shift=-0.8)
    [crit] = axes.measure(wide, ["a"], {"a": 1.0}, PARAMS)
    part = axes.part([crit], PARAMS)
    rubric, judge = part.gated
    assert (rubric.code, judge.code) == ("RUBRIC_AXIS_DRIFT", "JUDGE_AXIS_DRIFT")
    assert rubric.value == pytest.approx(abs(crit.rubric.value)) and rubric.ci_high == crit.rubric.worst_abs
    verdicts = [j.verdict for j in judge_members(list(part.gated), 0.05)]
    assert verdicts[0] is Verdict.FAIL and verdicts[1] is Verdict.PASS
    assert list(part.metrics) == ["rubric_axis[a]", "judge_axis[a]", "composite_contribution[a]"]
    assert part.slices[0].slice == "criterion=a"
