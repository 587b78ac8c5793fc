"""read_histogram: a histogram's groups, cold split and tail share against the rows it came from."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.latency_tail.read_histogram import sample_histogram
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.stats.log_bins import RELATIVE_ERROR, bin_index

PARAMS = {
    "alpha": 0.05,
    "warn_at": 0.1,
    "fail_at": 0.25,
    "quantiles": [0.5],
    "slo_ms": None,
    "timezone": "UTC",
    "baseline_endpoint": None,
    "protected_windows": None,
    "idle_timeout_s": None,
}


def _histogram(x, cold):
    rows = pd.DataFrame({"endpoint": "a", "bin": bin_index(x), "is_cold": cold})
    return rows.groupby(["endpoint", "bin", "is_cold"]).size().rename("count").reset_index()


def test_cold_split_and_p99_from_bins_match_the_rows():
    rng = np.random.default_rng(0)
    x = rng.lognormal(5, 0.5, 10_000)
    cold = rng.random(10_000) < 0.05
    sampled = sample_histogram({"histogram": TableInput("histogram", _histogram(x, cold))}, PARAMS)
    [s] = sampled.samples
    assert s.group.n == 10_000 and s.cold.rate == pytest.approx(cold.mean())
    p99 = s.estimate([(0.99, 0.05)])[0].value
    assert abs(p99 / np.quantile(x, 0.99) - 1) <= RELATIVE_ERROR
    share, n_above = s.cold.tail_share(p99)
    assert n_above <= (x >= p99).sum()  # only bins wholly above the p99
    warm = s.cold.warm([(0.99, 0.05)])[0].value
    assert abs(warm / np.quantile(x[~cold], 0.99) - 1) <= RELATIVE_ERROR


@pytest.mark.parametrize(
    "frame, message",
    [
        (pd.DataFrame({"model": ["a"], "bin": [-1], "count": [3]}), "grid indices"),
        (pd.DataFrame({"host": ["a"], "bin": [1], "count": [3]}), "'endpoint' \\(or 'model'\\)"),
        (pd.DataFrame({"endpoint": ["a"], "bin": [1], "count": [1.5]}), "whole number"),
    ],
)
def test_bad_histograms(frame, message):
    with pytest.raises(EvalGuardInputError, match=message):
        sample_histogram({"histogram": TableInput("histogram", frame)}, PARAMS)
