"""judge_drift.dual: lifts and the ruler effect against scipy's paired t; which judge is old."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from airflow_evalguard.checks.judge_drift.dual import dual_part, pick_judges
from airflow_evalguard.exceptions import EvalGuardInputError

PARAMS = {"max_shift": [0.1, 0.25], "alpha": 0.05, "n_boot": 200, "seed": 0}


def window(n=2500, ruler=0.3, seed=1):
    rng = np.random.default_rng(seed)
    quality = rng.normal(3, 1, n)
    cells = {}
    frames = []
    for system, lift in (("baseline", 0.0), ("candidate", 0.2)):
        for judge in ("old", "new"):
            score = quality + lift + (ruler if (system, judge) == ("candidate", "new") else 0) + rng.normal(0, 0.5, n)
            cells[(system, judge)] = score
            frames.append(
                pd.DataFrame({"item_id": np.arange(n), "system": system, "judge_model": judge, "score": score})
            )
    return pd.concat(frames, ignore_index=True), cells


def test_ruler_effect_is_the_paired_difference_of_lifts():
    frame, cells = window()
    part = dual_part(frame, "old", "new", PARAMS)
    lift_old = cells[("candidate", "old")] - cells[("baseline", "old")]
    lift_new = cells[("candidate", "new")] - cells[("baseline", "new")]
    ci = stats.ttest_rel(lift_new, lift_old).confidence_interval(0.95)
    ruler = part.metrics["ruler_effect"]
    assert ruler.value == pytest.approx(np.mean(lift_new - lift_old))
    assert (ruler.ci_low, ruler.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert part.metrics["lift.old_judge"].value == pytest.approx(np.mean(lift_old))
    assert part.metrics["lift.new_judge_net_of_ruler"].value == pytest.approx(np.mean(lift_old))
    (effect,) = part.gated
    assert effect.code == "RULER_EFFECT" and effect.value == pytest.approx(abs(ruler.value))


def test_items_missing_a_cell_are_left_out_and_noted():
    frame, _ = window(n=50)
    frame = frame[~((frame["item_id"] < 3) & (frame["judge_model"] == "new") & (frame["system"] == "baseline"))]
    part = dual_part(frame, "old", "new", PARAMS)
    assert part.metrics["ruler_effect"].n == 47
    assert part.findings[0].code == "DUAL_ITEMS_INCOMPLETE" and part.findings[0].message.startswith("3 dual-window")


@pytest.mark.parametrize(
    "old, new, pinned, expected",
    [
        ("a", None, None, ("a", "b")),
        (None, "a", None, ("b", "a")),
        (None, None, ["b"], ("b", "a")),
        ("b", "a", None, ("b", "a")),
    ],
)
def test_pick_judges(old, new, pinned, expected):
    assert pick_judges(["a", "b"], old, new, pinned) == expected


def test_pick_judges_refuses_what_it_cannot_tell():
    with pytest.raises(EvalGuardInputError, match="old judge from the new"):
        pick_judges(["a", "b"], None, None, None)
    with pytest.raises(EvalGuardInputError, match="exactly two judge snapshots"):
        pick_judges(["a", "b", "c"], "a", None, None)
    with pytest.raises(EvalGuardInputError, match="param 'new_judge' 'z'"):
        pick_judges(["a", "b"], "a", "z", None)
