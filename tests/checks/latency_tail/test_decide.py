"""latency_tail on synthetic serving logs: each decision, calibration, and bad input."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.demo import serving
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.schema import assert_valid_result

DEMO_PARAMS = {"slo_ms": serving.SLO_MS, "baseline_endpoint": "base-8b", "protected_windows": serving.PROTECTED}


def _demo(fault, **params):
    return run_check(
        "latency_tail",
        {"requests": serving.requests(fault, seed=3), "training_windows": serving.training_windows(fault)},
        {**DEMO_PARAMS, **params},
    )


def _codes(result):
    return {f.code for f in result.findings}


def test_healthy_serving_passes_with_every_decision_made():
    result = _demo(None)
    assert result.verdict.value == "PASS", result.summary
    assert_valid_result(result)
    assert {"slo_breach[interactive]", "slo_breach[batch]", "p99_regression[support-ft-8b]"} <= set(result.metrics)
    sl = {s.slice: s.metrics for s in result.slices}["endpoint=base-8b,latency_class=interactive"]
    assert {"p50", "p95", "p99", "p99_warm", "cold_start_rate", "cold_tail_share", "cold_start_tax_ms"} <= set(sl)
    assert sl["p99"].ci_low < sl["p99"].value < sl["p99"].ci_high


def test_cold_starts_in_the_tail_are_a_tax():
    result = _demo("cold_start_tail")
    assert result.verdict.value == "FAIL"
    assert {"COLD_START_TAX", "FINE_TUNE_TAIL_REGRESSION", "SLO_BREACH"} <= _codes(result)
    tuned = {s.slice: s.metrics for s in result.slices}["endpoint=support-ft-8b,latency_class=interactive"]
    assert tuned["cold_tail_share"].value > 0.8  # the tail above p99 is almost all cold starts
    assert tuned["cold_start_tax_ms"].value == pytest.approx(tuned["p99"].value - tuned["p99_warm"].value)
    base = [f for f in result.findings if f.code == "COLD_START_TAX" and "base-8b" in f.slice]
    assert base == []  # the base model keeps its replicas warm


def test_training_in_the_protected_morning_is_contention_and_names_the_window():
    result = _demo("training_contention")
    assert result.verdict.value == "FAIL"
    finding = next(f for f in result.findings if f.code == "TRAINING_CONTENTION")
    assert "2026-11-03 06:00-10:00 UTC" in finding.message
    assert result.metrics["p99_inflation.training[interactive]"].value > 0.25


def test_training_at_night_outside_the_protected_windows_is_not_judged():
    result = _demo(None)
    assert not any(k.startswith("p99_inflation") for k in result.metrics)


def _ab(n, scale_b=1.0, seed=0):
    rng = np.random.default_rng(seed)
    ts = pd.Timestamp("2026-11-01", tz="UTC") + pd.to_timedelta(np.arange(2 * n), unit="s")
    endpoint = np.repeat(["base", "tuned"], n)
    latency = rng.lognormal(6, 0.5, 2 * n) * np.where(endpoint == "tuned", scale_b, 1.0)
    return pd.DataFrame({"ts": ts, "endpoint": endpoint, "latency_ms": latency})


def test_fine_tune_comparison_null_calibration():
    """Same latency distribution: false FAILs (and WARNs) at most alpha."""
    sims = 200
    bad = sum(
        run_check("latency_tail", {"requests": _ab(3000, seed=s)}, {"baseline_endpoint": "base"}).verdict.value
        in ("FAIL", "WARN")
        for s in range(sims)
    )
    assert bad <= 17  # 99th percentile of Binomial(200, 0.05)


def test_fine_tune_regression_of_exactly_fail_at_is_never_passed():
    verdicts = [
        run_check(
            "latency_tail", {"requests": _ab(3000, scale_b=1.25, seed=s)}, {"baseline_endpoint": "base"}
        ).verdict.value
        for s in range(60)
    ]
    assert "PASS" not in verdicts


def test_slo_decision_needs_enough_requests():
    small = _ab(200).head(200)  # one endpoint: one SLO decision, no multiplicity correction
    small["latency_class"] = "interactive"
    result = run_check("latency_tail", {"requests": small}, {"slo_ms": {"interactive": 5000}})
    assert result.verdict.value == "INCONCLUSIVE"
    assert "368" in next(f.message for f in result.findings if f.code == "TOO_FEW_REQUESTS")
    big = _ab(4000)
    big["latency_class"] = "interactive"
    assert run_check("latency_tail", {"requests": big}, {"slo_ms": {"interactive": 5000}}).verdict.value == "PASS"
    assert run_check("latency_tail", {"requests": big}, {"slo_ms": {"interactive": 500}}).verdict.value == "FAIL"


def test_naive_request_times_are_local_to_the_timezone():
    frame = _ab(500)
    frame["ts"] = frame["ts"].dt.tz_localize(None)
    result = run_check("latency_tail", {"requests": frame}, {"timezone": "Europe/Berlin"})
    assert result.verdict.value == "PASS"


@pytest.mark.parametrize(
    "mutate,params,message",
    [
        (lambda f: f.assign(latency_ms=-f["latency_ms"]), {}, "negative"),
        (lambda f: f.drop(columns=["endpoint"]), {}, "'endpoint' \\(or 'model'\\)"),
        (lambda f: f, {"slo_ms": {"interactive": 100}}, "class 'interactive' has an SLO but no requests"),
        (lambda f: f, {"slo_ms": {"all": -1}}, "positive number"),
        (lambda f: f, {"protected_windows": ["7-11"]}, "HH:MM-HH:MM"),
        (lambda f: f, {"timezone": "Mars/Olympus"}, "unknown timezone"),
        (lambda f: f, {"baseline_endpoint": "nope"}, "has no requests"),
        (lambda f: f, {"quantiles": [0.5, 1.0]}, "strictly between 0 and 1"),
        (lambda f: f.head(0), {}, "no rows"),
    ],
)
def test_bad_input(mutate, params, message):
    with pytest.raises(EvalGuardInputError, match=message):
        run_check("latency_tail", {"requests": mutate(_ab(100))}, params)


def test_invalid_latencies_are_counted_and_dropped_when_asked():
    frame = _ab(500)
    frame.loc[[3, 7], "latency_ms"] = [np.nan, -5]
    result = run_check("latency_tail", {"requests": frame}, {"drop_invalid": True})
    assert result.metrics["dropped_invalid"].value == 2 and result.metrics["requests"].value == 998


@pytest.mark.parametrize(
    "windows,message",
    [
        (pd.DataFrame({"start": ["2026-11-01T05:00Z"], "end": ["2026-11-01T04:00Z"]}), "end at or before they start"),
        (pd.DataFrame({"start": ["2026-11-01 01:00"], "end": ["2026-11-01 04:00"]}), "timezone-naive"),
    ],
)
def test_bad_training_windows(windows, message):
    with pytest.raises(EvalGuardInputError, match=message):
        run_check("latency_tail", {"requests": _ab(100), "training_windows": windows}, {})
