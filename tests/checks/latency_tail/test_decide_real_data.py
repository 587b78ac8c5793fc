"""latency_tail on real data: LLMPerf per-request latencies (numpy quantiles published beside them)
and the Azure LLM inference trace's arrival times (idle gaps for cold-start detection)."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.latency_tail.cold_starts import idle_gap_cold
from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from airflow_evalguard.stats.order_stat import n_required
from tests.conftest import DATA

LLMPERF = DATA / "llmperf"
AZURE = DATA / "azure_llm_trace"


@pytest.fixture(scope="module")
def llmperf():
    raw = pd.read_csv(LLMPERF / "requests.csv")
    summary = pd.read_csv(LLMPERF / "summary.csv").set_index("endpoint")
    return raw, summary


def _requests(raw, metric):
    ok = raw["error_code"].isna()
    return pd.DataFrame(
        {
            "ts": pd.Timestamp("2023-12-19T11:00Z") + pd.to_timedelta(raw["request"], unit="s"),
            "endpoint": raw["endpoint"],
            "latency_ms": np.where(ok, raw[metric] * 1000, np.nan),  # failed requests have no latency
        }
    )


@pytest.mark.parametrize("metric", ["ttft_s", "end_to_end_latency_s"])
def test_quantiles_reproduce_llmperf_summaries(llmperf, metric):
    raw, summary = llmperf
    result = run_check(
        "latency_tail",
        {"requests": _requests(raw, metric)},
        {"drop_invalid": True, "quantiles": [0.25, 0.5, 0.75, 0.9, 0.95, 0.99]},
    )
    assert result.metrics["dropped_invalid"].value == int(summary["number_errors"].sum()) == 539
    by_slice = {s.slice: s.metrics for s in result.slices}
    for endpoint, row in summary.iterrows():
        m = by_slice[f"endpoint={endpoint},latency_class=all"]
        for q in ("p25", "p50", "p75", "p90", "p95", "p99"):
            assert m[q].value == pytest.approx(row[f"{metric}_{q}"] * 1000, rel=1e-9), (endpoint, q)
    # 150 requests cannot bound a two-sided p99 (368 needed): reported, marked, no verdict change
    assert by_slice["endpoint=groq_70b,latency_class=all"]["p99"].ci_high is None
    assert result.verdict.value == "PASS"
    assert any(f.code == "QUANTILE_CI_UNBOUNDED" for f in result.findings)


def test_failed_requests_are_an_error_unless_dropped(llmperf):
    with pytest.raises(EvalGuardInputError, match=r"539 request\(s\) have a missing.*drop_invalid=true"):
        run_check("latency_tail", {"requests": _requests(llmperf[0], "ttft_s")}, {})


def test_heavy_tailed_endpoint_against_a_fast_one_is_a_regression(llmperf):
    raw, _ = llmperf
    pair = raw[raw["endpoint"].isin(["replicate_70b", "fireworks_70b"])]
    result = run_check(
        "latency_tail",
        {"requests": _requests(pair, "ttft_s")},
        {"drop_invalid": True, "baseline_endpoint": "fireworks_70b", "quantiles": [0.5, 0.9]},
    )
    # 150 requests per endpoint cannot bound p99: the comparison is honestly INCONCLUSIVE, with the n it needs
    assert result.verdict.value == "INCONCLUSIVE"
    finding = next(f for f in result.findings if f.code == "TOO_FEW_REQUESTS")
    assert "replicate_70b" in finding.slice and SIZED_FOR.search(finding.message)
    # the interval first exists at n_required(0.99, 0.025) requests per side: the size named
    assert f"about {n_required(0.99, 0.025):,} requests on each side would settle it" in finding.message


@pytest.fixture(scope="module")
def azure():
    return {
        name: pd.to_datetime(pd.read_csv(AZURE / f"{name}_timestamps.csv")["TIMESTAMP"]) for name in ("code", "conv")
    }


@pytest.mark.parametrize("idle_s", [1.0, 5.0, 20.0])
def test_idle_gap_cold_starts_match_an_independent_count(azure, idle_s):
    frame = pd.concat([pd.DataFrame({"ts": ts, "endpoint": name}) for name, ts in azure.items()], ignore_index=True)
    frame = frame.sort_values("ts", kind="stable", ignore_index=True)
    ts = frame["ts"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    key = pd.factorize(frame["endpoint"])[0]
    cold = idle_gap_cold(ts, key, idle_s)
    gaps = frame.groupby("endpoint")["ts"].diff().dt.total_seconds()  # pandas, per endpoint, in time order
    assert cold.sum() == int((gaps >= idle_s).sum())
    assert np.array_equal(cold, (gaps >= idle_s).to_numpy())


def test_cold_start_rate_from_the_azure_trace_through_the_check(azure):
    ts = azure["code"]
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"ts": ts.dt.tz_localize("UTC"), "endpoint": "code", "latency_ms": rng.lognormal(5, 0.4, len(ts))}
    )
    shuffled = frame.sample(frac=1, random_state=1)  # out of order: sorted, not an error
    result = run_check("latency_tail", {"requests": shuffled}, {"idle_timeout_s": 5.0})
    gaps = ts.sort_values().diff().dt.total_seconds()
    assert result.metrics["cold_start_rate"].value == pytest.approx((gaps >= 5.0).sum() / len(ts))
    assert any(f.code == "TIMESTAMPS_SORTED" for f in result.findings)
    # latency does not depend on the gap here: no cold-start tax
    assert result.verdict.value in ("PASS", "INCONCLUSIVE")
    assert not any(f.code == "COLD_START_TAX" for f in result.findings)
