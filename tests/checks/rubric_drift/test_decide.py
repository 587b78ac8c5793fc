"""rubric_drift: the decomposition on constructed data, opposite moves cancelling, bad input."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check


def ratings(n=300, human_shift=None, judge_shift=None, seed=0, scale=1.0, cand_scale=1.0):
    rng = np.random.default_rng(seed)
    rows = []
    truth = {c: rng.normal(3, 0.7, n) for c in ("a", "b")}
    for period, hs, js, sc in (("p1", {}, {}, scale), ("p2", human_shift or {}, judge_shift or {}, cand_scale)):
        for c in ("a", "b"):
            for h in ("h1", "h2"):
                rows.append(
                    pd.DataFrame(
                        {
                            "item_id": range(n),
                            "criterion": c,
                            "rater_type": "human",
                            "rater_id": h,
                            "score": sc * np.clip(truth[c] + hs.get(c, 0) + rng.normal(0, 0.4, n), 1, 5),
                            "period": period,
                        }
                    )
                )
            rows.append(
                pd.DataFrame(
                    {
                        "item_id": range(n),
                        "criterion": c,
                        "rater_type": "judge",
                        "rater_id": "j",
                        "score": sc * np.clip(truth[c] + hs.get(c, 0) + js.get(c, 0) + rng.normal(0, 0.4, n), 1, 5),
                        "period": period,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def test_opposite_moves_cancel_in_the_composite_and_are_found():
    r = run_check(
        "rubric_drift", {"ratings": ratings(human_shift={"a": 0.7}, judge_shift={"b": -0.7})}, {"n_boot": 300}
    )
    assert r.verdict.value == "FAIL"
    assert abs(r.metrics["composite_change"].value) < 0.1
    found = {(f.code, f.slice) for f in r.findings}
    assert ("RUBRIC_AXIS_DRIFT", "criterion=a") in found
    assert ("JUDGE_AXIS_DRIFT", "criterion=b") in found
    assert "HIDDEN_DRIFT" in {c for c, _ in found}


def test_axis_shifts_agree_with_scipy_paired_t_when_large():
    from scipy import stats

    df = ratings(n=2500, human_shift={"a": 0.2})
    r = run_check("rubric_drift", {"ratings": df})
    h = df[(df.rater_type == "human") & (df.criterion == "a")].groupby(["period", "item_id"])["score"].mean().unstack(0)
    ci = stats.ttest_rel(h["p2"], h["p1"]).confidence_interval(0.95)
    m = r.metrics["rubric_axis[a]"]
    assert (m.ci_low, m.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)


def test_null_false_fail_rate_at_most_alpha():
    fails = sum(
        run_check(
            "rubric_drift",
            {"ratings": ratings(n=80, seed=s)},
            {"n_boot": 200, "seed": s, "fail_at": 0.15, "warn_at": 0.05},
        ).verdict.value
        == "FAIL"
        for s in range(40)
    )
    assert fails <= 5  # P(X >= 6 | n=40, p=0.05) < 0.02


@pytest.mark.parametrize(
    "frame, params, match",
    [
        (ratings(cand_scale=2.0), {}, "different scales"),
        (ratings(), {"scale": [1, 4]}, "outside the scale"),
        (ratings().assign(period="p1"), {}, "1 periods"),
        (ratings().assign(rater_type="crowd"), {}, "'human' or 'judge'"),
        (ratings(), {"baseline_period": "p0", "candidate_period": "p2"}, "not a period"),
        (ratings(), {"weights": {"a": 1}}, "every criterion"),
        (ratings().query("rater_type == 'human' or period == 'p1'"), {}, "no judge ratings in period 'p2'"),
    ],
)
def test_bad_input_is_named(frame, params, match):
    with pytest.raises(EvalGuardInputError, match=match):
        run_check("rubric_drift", {"ratings": frame}, params)


def test_the_interval_that_ran_is_the_skew_corrected_t_at_any_n_boot():
    """Issue 17: the BCa bootstrap (and the paired t) under-covered skewed shifts; every shift now
    takes the skewness-corrected t (stats.skew_t), which no n_boot changes, and the result names it."""
    from scipy.stats import skew, t

    frame = ratings(n=40, seed=9)
    below = run_check("rubric_drift", {"ratings": frame}, {"n_boot": 999})
    at = run_check("rubric_drift", {"ratings": frame}, {"n_boot": 1000})
    for result in (below, at):
        assert result.params["ci_method_used"].startswith("skewness-corrected paired t")
    human = frame[frame["rater_type"] == "human"].groupby(["period", "criterion", "item_id"])["score"].mean()
    change = (human["p2"]["a"] - human["p1"]["a"]).to_numpy()
    n, mean, se, g = len(change), change.mean(), change.std(ddof=1) / np.sqrt(len(change)), skew(change, bias=False)
    for metric in (below.metrics["rubric_axis[a]"], at.metrics["rubric_axis[a]"]):
        for end, quantile in ((metric.ci_low, 0.975), (metric.ci_high, 0.025)):  # Hall (1992) at the t quantiles
            studentised = (mean - end) / se
            hall = studentised + g * studentised**2 / (3 * n**0.5) + g**2 * studentised**3 / (27 * n) + g / (6 * n**0.5)
            assert hall == pytest.approx(t.ppf(quantile, n - 1), rel=1e-6)
