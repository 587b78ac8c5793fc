"""judge_drift.human: overall and per-snapshot agreement, the position gate's binomial p-value
against scipy, and the prevalence paradox as a verdict floor."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from airflow_evalguard.checks.judge_drift.human import _alpha_gate, human_part
from airflow_evalguard.stats.krippendorff import AlphaEstimate
from airflow_evalguard.verdicts import Verdict

PARAMS = {"n_boot": 200, "alpha": 0.05, "seed": 0, "min_human_alpha": None, "min_position_consistency": None}


def judged(models=("m1", "m2"), n=120, seed=0, flip=0.2):
    rng = np.random.default_rng(seed)
    human = rng.choice(["1", "2"], n)
    rows = []
    for model in models:
        judge = np.where(rng.random(n) < flip, np.where(human == "1", "2", "1"), human)
        swapped = np.where(rng.random(n) < flip, np.where(judge == "1", "2", "1"), judge)
        rows.append(
            pd.DataFrame(
                {"item_id": [f"i{k}" for k in range(n)], "judge_model": model, "judge": judge, "swapped": swapped}
            )
        )
    return pd.concat(rows, ignore_index=True), pd.DataFrame({"item_id": [f"i{k}" for k in range(n)], "human": human})


def test_one_slice_per_snapshot_and_overall_metrics():
    scores, human = judged()
    part = human_part(scores, human.iloc[:100], score_type="pairwise", params=PARAMS)
    assert [s.slice for s in part.slices] == ["judge_model=m1", "judge_model=m2"]
    assert part.metrics["judge_human_kappa"].n == 200 and part.slices[0].metrics["kappa"].n == 100
    assert part.findings[0].code == "ITEMS_WITHOUT_HUMAN_LABEL" and part.findings[0].message.startswith("20 judged")
    assert part.gated == ()


def test_position_gate_p_value_is_the_one_sided_binomial_test():
    scores, human = judged(models=("m1",))
    part = human_part(scores, human, score_type="pairwise", params={**PARAMS, "min_position_consistency": 0.9})
    (gate,) = part.gated
    consistency = part.metrics["position_consistency"]
    same = round(consistency.value * consistency.n)
    assert gate.code == "POSITION_BIAS" and gate.slice is None
    assert gate.p_value == pytest.approx(binomtest(same, consistency.n, 0.9, alternative="less").pvalue, rel=1e-9)
    assert gate.value == pytest.approx(0.9 - consistency.value)


def test_alpha_gates_overall_and_per_snapshot():
    scores, human = judged()
    part = human_part(scores, human, score_type="pairwise", params={**PARAMS, "min_human_alpha": 0.9})
    assert [(g.code, g.slice) for g in part.gated] == [
        ("LOW_HUMAN_AGREEMENT", None),
        ("LOW_HUMAN_AGREEMENT", "judge_model=m1"),
        ("LOW_HUMAN_AGREEMENT", "judge_model=m2"),
    ]
    assert part.gated[0].value == pytest.approx(0.9 - part.metrics["judge_human_alpha"].value)


def test_paradox_floors_the_whole_result_or_its_slice():
    rng = np.random.default_rng(2)
    human = pd.DataFrame({"item_id": [f"i{k}" for k in range(200)], "human": np.where(rng.random(200) < 0.9, "1", "2")})
    lean = pd.DataFrame({"item_id": human["item_id"], "judge_model": "lean", "judge": "1"})
    lean.loc[:15, "judge"] = "2"
    fair = pd.DataFrame({"item_id": human["item_id"], "judge_model": "fair", "judge": human["human"]})
    alone = human_part(lean, human, score_type="pairwise", params=PARAMS)
    assert alone.validity == (Verdict.WARN,) and alone.slice_validity == {}
    both = human_part(pd.concat([lean, fair]), human, score_type="pairwise", params=PARAMS)
    assert both.slice_validity == {"judge_model=lean": Verdict.WARN}


def test_low_agreement_names_the_alpha_minimum_even_when_the_position_gate_runs():
    # The message used to name min_position_consistency (0.6) as "the minimum" when both gates ran.
    scores, human = judged(models=("m1",))
    params = {**PARAMS, "min_human_alpha": 0.95, "min_position_consistency": 0.6}
    part = human_part(scores, human, score_type="pairwise", params=params)
    alpha_gate = next(g for g in part.gated if g.code == "LOW_HUMAN_AGREEMENT")
    words = alpha_gate.describe(Verdict.FAIL)
    assert words.endswith("below the minimum 0.95") and "0.6" not in words.split("below")[-1]


@pytest.mark.parametrize(
    "value, relation", [(0.62, "below the minimum 0.7"), (0.731, "not shown above the minimum 0.7")]
)
def test_low_agreement_wording_follows_the_estimate(value, relation):
    # An undecided alpha above its minimum used to read "0.731 ..., below the minimum 0.7".
    estimate = AlphaEstimate(value, value - 0.1, value + 0.1, 40, 80, 0, np.full(200, value))
    gate = _alpha_gate(estimate, 0.7, "", None, 0.05)
    assert gate.describe(Verdict.INCONCLUSIVE).endswith(relation)
