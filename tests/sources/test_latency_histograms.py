"""latency_tail from log-grid histograms: quantiles within the stated bound of the row quantiles,
intervals that contain the row intervals, the same verdicts; histograms from pandas, from DuckDB,
and from shards added up."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.demo import serving
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from airflow_evalguard.sources.histograms import latency_histogram
from airflow_evalguard.sources.sql import SqlSource
from airflow_evalguard.stats.log_bins import RELATIVE_ERROR, bin_index, binned_quantiles, high_edge, low_edge
from airflow_evalguard.stats.order_stat import quantiles

PARAMS = {"slo_ms": serving.SLO_MS, "baseline_endpoint": "base-8b"}


@pytest.mark.parametrize("n", [50, 400, 5000, 100_000])
def test_binned_quantiles_bound_and_contain_the_row_quantiles(n):
    x = np.random.default_rng(n).lognormal(5, 1.2, n)
    x[:3] = [0.0, 0.004, 0.01]  # below and at the grid's first edge
    b = bin_index(x)
    assert np.all((low_edge(b) <= x) & (x < high_edge(b)))
    bins, counts = np.unique(b, return_counts=True)
    specs = [(q, 0.05) for q in (0.5, 0.9, 0.99)]
    for row, binned in zip(quantiles(x, specs), binned_quantiles(bins, counts, specs), strict=True):
        if row.value > 1:
            assert abs(binned.value / row.value - 1) <= RELATIVE_ERROR
        if row.ci_low is not None:
            assert binned.ci_low <= row.ci_low
        if row.ci_high is not None:
            assert binned.ci_high >= row.ci_high
        assert (binned.ci_high is None) == (row.ci_high is None)


@pytest.mark.parametrize("fault", [None, "cold_start_tail"])
def test_check_from_histogram_matches_rows(fault):
    rows = serving.requests(fault, seed=3)
    from_rows = run_check("latency_tail", {"requests": rows}, PARAMS)
    from_hist = run_check("latency_tail", {"histogram": latency_histogram(rows)}, PARAMS)
    assert from_rows.verdict == from_hist.verdict
    assert {f.code for f in from_rows.findings} == {f.code for f in from_hist.findings}
    by_slice = {s.slice: s for s in from_hist.slices}
    for s in from_rows.slices:
        h = by_slice[s.slice]
        for q in ("p50", "p95", "p99"):
            assert abs(h.metrics[q].value / s.metrics[q].value - 1) <= RELATIVE_ERROR
            assert h.metrics[q].ci_low <= s.metrics[q].ci_low and h.metrics[q].ci_high >= s.metrics[q].ci_high
    assert from_hist.params["quantile_relative_error_bound"] == RELATIVE_ERROR


def test_histograms_from_duckdb_and_from_shards_add_up(tmp_path):
    rows = serving.requests("cold_start_tail", seed=4)
    expected = latency_histogram(rows)
    db = str(tmp_path / "serving.duckdb")
    with duckdb.connect(db) as con:
        con.register("r", rows)
        con.execute("CREATE TABLE requests AS SELECT * FROM r")
    pushed = SqlSource(database=db).latency_histogram("requests")
    key = ["endpoint", "latency_class", "is_cold", "bin"]
    assert (
        pushed.sort_values(key).reset_index(drop=True)[key + ["count"]].values.tolist()
        == expected.sort_values(key).reset_index(drop=True)[key + ["count"]].values.tolist()
    )
    half = len(rows) // 2
    shards = pd.concat([latency_histogram(rows.iloc[:half]), latency_histogram(rows.iloc[half:])], ignore_index=True)
    a = run_check("latency_tail", {"histogram": expected}, PARAMS)
    b = run_check("latency_tail", {"histogram": shards}, PARAMS)
    assert a.to_dict()["metrics"] == b.to_dict()["metrics"] and a.verdict == b.verdict


@pytest.mark.parametrize(
    "inputs,params,message",
    [
        ({"training_windows": serving.training_windows(None)}, {}, "needs request times"),
        ({}, {"protected_windows": ["07:00-11:00"]}, "need request times"),
        ({}, {"slo_ms": {"nope": 100}}, "has an SLO but no requests"),
    ],
)
def test_what_a_histogram_cannot_answer_is_refused(inputs, params, message):
    hist = latency_histogram(serving.requests(None, seed=1, n=5000))
    with pytest.raises(EvalGuardInputError, match=message):
        run_check("latency_tail", {"histogram": hist, **inputs}, params)


def test_rows_and_histogram_together_are_refused():
    rows = serving.requests(None, seed=1, n=2000)
    with pytest.raises(EvalGuardInputError, match="either input"):
        run_check("latency_tail", {"requests": rows, "histogram": latency_histogram(rows)}, {})
