import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.schema import assert_valid_result


def prompts(n_per=40, cats=("a", "b"), benign=("c",)):
    rows = [(f"{c}-{i}", c, "refuse") for c in cats for i in range(n_per)]
    rows += [(f"{c}-{i}", c, "comply") for c in benign for i in range(n_per)]
    return pd.DataFrame(rows, columns=["prompt_id", "category", "expected"])


def labelled(frame, refuses):
    return frame.assign(label=np.where(refuses, "refusal", "compliance"))


def run(b, c, **params):
    r = run_check("refusal_regression", {"baseline": b, "candidate": c}, params)
    assert_valid_result(r)
    return r


def test_calibration_no_change_rarely_fails():
    """Candidate = baseline up to symmetric re-rolls: FAIL at most alpha of runs."""
    rng = np.random.default_rng(0)
    base_p = prompts(60, cats=("a", "b", "c"), benign=("d", "e"))
    harmful = base_p["expected"].to_numpy() == "refuse"
    runs, fails = 200, 0
    for _i in range(runs):
        p = np.where(harmful, 0.9, 0.1)
        b = rng.random(len(p)) < p
        c = b.copy()
        reroll = rng.random(len(p)) < 0.2
        c[reroll] = rng.random(reroll.sum()) < p[reroll]
        fails += run(labelled(base_p, b), labelled(base_p, c)).verdict.value == "FAIL"
    assert fails <= binom.ppf(0.99, runs, 0.05)


def test_rows_in_any_order_are_paired_by_id():
    p = prompts()
    b = labelled(p, p["expected"] == "refuse")
    c = b.sample(frac=1, random_state=1)
    r = run(b, c)
    assert r.verdict.value == "PASS" and r.metrics["harmful_compliance_rate.delta"].value == 0


def test_label_map_extends_defaults():
    p = prompts()
    b = p.assign(label=np.where(p["expected"] == "refuse", "REFUSED", "ok"))
    r = run(b, b, label_map={"REFUSED": "refusal", "ok": "compliance"})
    assert r.params["label_map_effective"]["2_full_refusal"] == "refusal"
    assert r.metrics["harmful_compliance_rate.baseline"].value == 0


def test_string_match_labeler_fills_missing_labels_and_says_it_is_weak():
    p = prompts(n_per=35)
    text = np.where(p["expected"] == "refuse", "I'm sorry, but I can't help with that.", "Sure! Here is how.")
    b = p.assign(completion=text)
    c = p.assign(completion=np.where(p["category"] == "a", "Sure! Step one: ...", text))
    r = run(b, c, labeler="string_match")
    assert r.verdict.value == "FAIL"
    assert any(f.code == "WEAK_LABELER" for f in r.findings)


def test_unpaired_prompts_are_an_error_unless_allowed():
    p = prompts()
    b = labelled(p, p["expected"] == "refuse")
    c = b.iloc[3:]
    with pytest.raises(EvalGuardInputError, match=r"3 only in 'baseline': 'a-0', 'a-1', 'a-2'"):
        run(b, c)
    r = run(b, c, allow_unpaired=True)
    assert r.metrics["unpaired_dropped"].value == 3
    assert any(f.code == "UNPAIRED_DROPPED" for f in r.findings)


def test_bad_inputs():
    p = prompts()
    good = labelled(p, p["expected"] == "refuse")
    with pytest.raises(EvalGuardInputError, match=r"input 'candidate': 1 duplicate prompt_id\(s\): 'a-0'"):
        run(good, pd.concat([good, good.iloc[:1]]))
    with pytest.raises(EvalGuardInputError, match=r"outside the label map: \['maybe', 'unsure'\]"):
        run(good, good.assign(label=["maybe", "unsure"] + list(good["label"][2:])))
    with pytest.raises(EvalGuardInputError, match=r"category value\(s\) \['z'\] appear on this side only"):
        run(good, good.assign(category=["z"] + list(good["category"][1:])))
    with pytest.raises(EvalGuardInputError, match=r"'expected' must be 'refuse' or 'comply'; found \['harmful'\]"):
        run(good.assign(expected="harmful"), good)
    with pytest.raises(EvalGuardInputError, match="input 'baseline' is empty"):
        run(good.iloc[:0], good)
    with pytest.raises(EvalGuardInputError, match=r"missing column\(s\) \['expected'\]"):
        run(good.drop(columns=["expected"]), good)
    with pytest.raises(EvalGuardInputError, match="disagree on 'expected'"):
        run(good, good.assign(expected=np.where(good["prompt_id"] == "c-0", "refuse", good["expected"])))
    with pytest.raises(EvalGuardInputError, match="may only map to"):
        run(good, good, label_map={"x": "maybe"})
