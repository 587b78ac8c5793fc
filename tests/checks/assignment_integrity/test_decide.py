import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom, chisquare

from airflow_evalguard.checks.assignment_integrity.srm import srm_units_needed
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.schema import assert_valid_result


def units(n, rng, arm=None):
    tokens = rng.lognormal(6.5, 0.8, n).round()
    lang = rng.choice(["en", "de", "fr"], n, p=[0.6, 0.25, 0.15])
    arm = np.where(rng.random(n) < 0.5, "A", "B") if arm is None else arm
    return pd.DataFrame(
        {"unit_id": np.arange(n), "arm": arm, "prompt_tokens": tokens, "language": lang, "y": rng.normal(0, 1, n)}
    )


def run(frame, **params):
    r = run_check("assignment_integrity", {"units": frame}, params)
    assert_valid_result(r)
    return r


def test_srm_p_matches_scipy_chisquare_and_published_threshold():
    # statistics.md: on a 50/50 split of 1,000 units a 55.2% share triggers SRM at p < 0.001
    frame = units(1000, np.random.default_rng(0), arm=np.array(["A"] * 552 + ["B"] * 448))
    r = run(frame)
    assert r.metrics["srm_p"].value == pytest.approx(chisquare([552, 448]).pvalue)
    assert r.metrics["srm_p"].value < 0.0011
    frame = units(1000, np.random.default_rng(0), arm=np.array(["A"] * 540 + ["B"] * 460))
    assert run(frame).metrics["srm_p"].value > 0.001


def test_srm_fails_directly_even_when_small():
    frame = units(1000, np.random.default_rng(1), arm=np.array(["A"] * 600 + ["B"] * 400))
    r = run(frame)
    assert r.verdict.value == "FAIL" and any(f.code == "SAMPLE_RATIO_MISMATCH" for f in r.findings)


def test_small_experiment_srm_is_inconclusive_not_pass():
    r = run(units(2000, np.random.default_rng(2)))
    assert r.verdict.value == "INCONCLUSIVE"
    assert r.metrics["srm_units_needed"].value > 2000


def test_units_needed_gives_power_by_simulation():
    need = srm_units_needed(np.array([0.5, 0.5]), 0.001)
    rng = np.random.default_rng(3)
    a = rng.binomial(need, 0.52, size=4000)
    p = np.array([chisquare([x, need - x]).pvalue for x in a])
    assert 0.76 <= np.mean(p < 0.001) <= 0.84


def test_calibration_honest_assignments():
    """1,000 honest random assignments: SRM fails at most at srm_alpha; no leak finding above alpha."""
    rng = np.random.default_rng(4)
    runs, srm_fails, leaks = 1000, 0, 0
    for i in range(runs):
        frame = units(300, rng)
        r = run(frame, assembler_inputs=["prompt_tokens", "language"], n_perm=99, seed=i)
        codes = {f.code for f in r.findings}
        srm_fails += "SAMPLE_RATIO_MISMATCH" in codes
        leaks += "ASSIGNMENT_LEAK" in codes
    assert srm_fails <= binom.ppf(0.99, runs, 0.001)
    assert leaks <= binom.ppf(0.99, runs, 0.05)


def test_leak_through_prompt_length_is_named_in_words():
    rng = np.random.default_rng(5)
    frame = units(20000, rng)
    long = frame["prompt_tokens"] > frame["prompt_tokens"].quantile(0.75)
    arm = np.where(rng.random(len(frame)) < np.where(long, 0.71, 0.43), "B", "A")
    r = run(
        frame.assign(arm=arm),
        covariates=["prompt_tokens", "language"],
        assembler_inputs=["prompt_tokens", "language"],
        hash_inputs=["user_id"],
    )
    assert r.verdict.value == "FAIL"
    leak = [f for f in r.findings if f.code == "ASSIGNMENT_LEAK"]
    assert [("prompt_tokens" in f.message) for f in leak] == [True]
    assert "arm B got 7" in r.summary and "prompt_tokens" in r.summary
    assert not any(f.code == "SHARED_INPUT" for f in r.findings)


def test_shared_input_fails_from_config_alone():
    r = run(
        units(20000, np.random.default_rng(6)), hash_inputs=["prompt_text", "user_id"], assembler_inputs=[], n_perm=99
    )
    assert r.verdict.value == "PASS"
    r = run(
        units(20000, np.random.default_rng(6)).assign(prompt_text="x"),
        hash_inputs=["prompt_text"],
        assembler_inputs=["prompt_text"],
        n_perm=99,
    )
    assert [f.code for f in r.findings if f.severity == "fail"] == ["SHARED_INPUT"]


def test_smd_band_needs_significance_at_small_n():
    rng = np.random.default_rng(7)
    flagged = 0
    for _ in range(200):  # 40 units: SMD > 0.1 by chance all the time, flagged at most at alpha
        r = run(units(40, rng), covariates=["prompt_tokens"])
        flagged += any(f.code == "COVARIATE_IMBALANCE" for f in r.findings)
    assert flagged <= binom.ppf(0.99, 200, 0.05)


def test_aa_lift_must_include_zero():
    rng = np.random.default_rng(8)
    frame = units(20000, rng)
    r = run(frame, aa=True, metric="y")
    assert r.metrics["aa_lift"].ci_low < 0 < r.metrics["aa_lift"].ci_high
    assert not any(f.code == "AA_NONZERO_LIFT" for f in r.findings)
    broken = frame.assign(y=frame["y"] + np.where(frame["arm"] == "B", 0.1, 0))
    assert any(f.code == "AA_NONZERO_LIFT" for f in run(broken, aa=True, metric="y").findings)


def test_bad_inputs():
    rng = np.random.default_rng(9)
    frame = units(500, rng)
    with pytest.raises(EvalGuardInputError, match=r"arm\(s\) \['B'\] not in expected_split"):
        run(frame, expected_split={"A": 1.0})
    with pytest.raises(EvalGuardInputError, match="sum to 1"):
        run(frame, expected_split={"A": 0.5, "B": 0.6})
    with pytest.raises(EvalGuardInputError, match="one arm only"):
        run(frame.assign(arm="A"))
    with pytest.raises(EvalGuardInputError, match="covariate 'c' is constant"):
        run(frame.assign(c=1), covariates=["c"])
    with pytest.raises(EvalGuardInputError, match="duplicate unit_id"):
        run(pd.concat([frame, frame.iloc[:1]]))
    with pytest.raises(EvalGuardInputError, match="input 'units' is empty"):
        run(frame.iloc[:0])
