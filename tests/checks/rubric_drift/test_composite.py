"""composite: the weighted composite change, its exact rubric/judge split, and HIDDEN_DRIFT."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.rubric_drift import axes, composite
from airflow_evalguard.verdicts import Verdict

PARAMS = {"alpha": 0.05, "n_boot": 200, "seed": 0, "warn_at": 0.2, "fail_at": 0.5}


def _wide(n=300, seed=0):
    rng = np.random.default_rng(seed)
    frames = []
    for criterion, human_shift, judge_shift in (("a", 0.7, 0.0), ("b", 0.0, -0.7)):
        truth = rng.normal(3, 0.7, n)
        frames.append(
            pd.DataFrame(
                {
                    "criterion": criterion,
                    "item_id": [f"i{k:04d}" for k in range(n)],
                    "h_base": truth + rng.normal(0, 0.3, n),
                    "j_base": truth + rng.normal(0, 0.3, n),
                    "h_cand": truth + human_shift + rng.normal(0, 0.3, n),
                    "j_cand": truth + human_shift + judge_shift + rng.normal(0, 0.3, n),
                }
            )
        )
    return pd.concat(frames).set_index(["criterion", "item_id"])


def test_composite_is_the_weighted_judge_change_and_splits_exactly():
    wide, weights = _wide(), {"a": 0.25, "b": 0.75}
    measured = axes.measure(wide, ["a", "b"], weights, PARAMS)
    change = composite.measure(wide, ["a", "b"], weights, PARAMS)
    by_hand = sum(w * (wide.loc[c].j_cand - wide.loc[c].j_base).mean() for c, w in weights.items())
    assert change.value == pytest.approx(by_hand)
    metrics = composite.part(change, measured, PARAMS).metrics
    split = metrics["composite_change.rubric_axis"].value + metrics["composite_change.judge_axis"].value
    assert split == pytest.approx(change.value)
    assert sum(c.contribution for c in measured) == pytest.approx(change.value)


def test_opposite_fails_that_cancel_are_hidden_drift():
    wide = _wide()
    measured = axes.measure(wide, ["a", "b"], {"a": 0.5, "b": 0.5}, PARAMS)
    change = composite.measure(wide, ["a", "b"], {"a": 0.5, "b": 0.5}, PARAMS)
    verdicts = {
        ("criterion=a", "RUBRIC_AXIS_DRIFT"): Verdict.FAIL,
        ("criterion=a", "JUDGE_AXIS_DRIFT"): Verdict.PASS,
        ("criterion=b", "RUBRIC_AXIS_DRIFT"): Verdict.PASS,
        ("criterion=b", "JUDGE_AXIS_DRIFT"): Verdict.FAIL,
    }
    finding = composite.hidden_drift(change, measured, verdicts, PARAMS["warn_at"])
    assert finding is not None and finding.code == "HIDDEN_DRIFT" and finding.severity == "fail"
    rubric_a, judge_b = measured[0].rubric.value, measured[1].judge.value
    assert f"a on the rubric axis {rubric_a:+.2f}, b on the judge axis {judge_b:+.2f}" in finding.message
    assert composite.hidden_drift(change, measured, dict.fromkeys(verdicts, Verdict.PASS), 0.2) is None
    assert composite.hidden_drift(change, measured, verdicts, warn_at=abs(change.value) / 2) is None
