"""p99_from_table: the p99 of one class over a trailing window, read through the input reader."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sensors.latency_sources import p99_from_table


def _log(tmp_path):
    rng = np.random.default_rng(5)
    ts = pd.date_range("2026-01-01", periods=600, freq="s", tz="UTC")
    frame = pd.DataFrame(
        {
            "ts": ts,
            "latency_ms": rng.lognormal(5, 1, 600),
            "latency_class": np.where(np.arange(600) % 3 == 0, "batch", "interactive"),
        }
    )
    path = tmp_path / "requests.parquet"
    frame.to_parquet(path)
    return frame, str(path)


def test_p99_matches_numpy_over_the_window(tmp_path):
    frame, path = _log(tmp_path)
    recent = (frame["ts"] > frame["ts"].max() - pd.Timedelta(seconds=300)) & (frame["latency_class"] == "interactive")
    expected = np.quantile(frame.loc[recent, "latency_ms"], 0.99)
    assert p99_from_table(path, "interactive", 300) == pytest.approx(expected)


def test_an_empty_window_is_infinite(tmp_path):
    _, path = _log(tmp_path)
    assert p99_from_table(path, "nonexistent", 300) == float("inf")


def test_a_missing_local_file_is_bad_input(tmp_path):
    with pytest.raises(EvalGuardInputError):
        p99_from_table(str(tmp_path / "missing.parquet"), "interactive", 300)
