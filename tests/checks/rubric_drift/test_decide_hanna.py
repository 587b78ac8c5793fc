"""rubric_drift on HANNA: a rubric revision and a judge update, each attributed to its own axis.

Baseline: rater slots human1+human2 and the Llama-13B judge. The candidate period reads the same
stories with slots human2+human3 (real rater noise, no rubric change) and either the same judge
(null), a different real judge (ChatGPT: a judge update), or a stricter reading of Surprise by
humans and judge alike (a rubric revision).
"""

import pandas as pd
import pytest

from airflow_evalguard.run import run_check
from tests.datasets.hanna import CRITERIA, load, period
from tests.schema import assert_valid_result


@pytest.fixture(scope="module")
def wide():
    return load()


@pytest.fixture(scope="module")
def baseline(wide):
    return period(wide, "v1", ["human1", "human2"], "Llama-13B_task1")


def fails(result, code):
    return {f.slice for f in result.findings if f.code == code and f.severity == "fail"}


def test_new_rater_slots_same_judge_is_no_drift(wide, baseline):
    cand = period(wide, "v2", ["human2", "human3"], "Llama-13B_task1")
    r = run_check("rubric_drift", {"ratings": pd.concat([baseline, cand])}, {"n_boot": 500})
    assert r.verdict.value == "PASS", r.summary
    assert_valid_result(r)


def test_judge_update_lands_on_the_judge_axis(wide, baseline):
    cand = period(wide, "v2", ["human2", "human3"], "ChatGPT_task1")
    r = run_check("rubric_drift", {"ratings": pd.concat([baseline, cand])}, {"n_boot": 500})
    assert r.verdict.value == "FAIL"
    assert fails(r, "JUDGE_AXIS_DRIFT")
    assert not fails(r, "RUBRIC_AXIS_DRIFT")
    for c in CRITERIA:
        assert abs(r.metrics[f"rubric_axis[{c}]"].value) < 0.2


def test_rubric_revision_lands_on_the_rubric_axis_and_hides_in_the_composite(wide, baseline):
    cand = period(wide, "v2", ["human2", "human3"], "Llama-13B_task1", shift={"SU": -0.8})
    r = run_check("rubric_drift", {"ratings": pd.concat([baseline, cand])}, {"n_boot": 500})
    assert r.verdict.value == "FAIL"
    assert fails(r, "RUBRIC_AXIS_DRIFT") == {"criterion=SU"}
    assert not fails(r, "JUDGE_AXIS_DRIFT")
    assert "HIDDEN_DRIFT" in {f.code for f in r.findings}
    assert r.metrics["rubric_axis[SU]"].value == pytest.approx(-0.8, abs=0.1)


def test_contributions_add_up_to_the_composite_exactly(wide, baseline):
    cand = period(wide, "v2", ["human2", "human3"], "ChatGPT_task1", shift={"CX": 0.5})
    weights = {"RE": 2, "CH": 1, "EM": 1, "SU": 1, "EG": 1, "CX": 4}
    r = run_check("rubric_drift", {"ratings": pd.concat([baseline, cand])}, {"weights": weights, "n_boot": 300})
    total = sum(r.metrics[f"composite_contribution[{c}]"].value for c in CRITERIA)
    assert total == pytest.approx(r.metrics["composite_change"].value, abs=1e-12)
    split = r.metrics["composite_change.rubric_axis"].value + r.metrics["composite_change.judge_axis"].value
    assert split == pytest.approx(r.metrics["composite_change"].value, abs=1e-12)
