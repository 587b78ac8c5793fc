"""group_rows: blocks per endpoint x class, cold splits, hour-matched training pairs inside the
protected windows (counted by hand with pandas)."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.latency_tail.group_rows import sample_rows
from airflow_evalguard.io import TableInput

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
    "drop_invalid": False,
}


def _frame():
    ts = pd.Timestamp("2026-11-03", tz="UTC") + pd.to_timedelta(np.arange(48 * 60), unit="min")  # two days
    frame = pd.DataFrame(
        {
            "ts": ts,
            "endpoint": np.where(np.arange(len(ts)) % 3 == 0, "a", "b"),
            "latency_ms": np.arange(len(ts), dtype=float) % 97 + 1,
        }
    )
    frame["training_active"] = (ts.hour >= 6) & (ts.hour < 8) & (ts.day == 3)  # day one, 06:00-08:00
    frame["is_cold"] = np.arange(len(ts)) % 10 == 0
    return frame


def test_groups_cold_and_training_pairs():
    frame = _frame()
    sampled = sample_rows({"requests": TableInput("requests", frame)}, {**PARAMS, "protected_windows": ["07:00-09:00"]})
    assert [(s.group.endpoint, s.group.n) for s in sampled.samples] == [("a", 960), ("b", 1920)]
    a = frame[frame.endpoint == "a"]
    assert sampled.samples[0].cold.rate == pytest.approx(a.is_cold.mean())
    [pair_a, pair_b] = sampled.pairs
    # busy: training inside 07:00-09:00 (07:xx on day one); quiet: no training, same hours (07:xx, day two)
    busy = a[a.training_active & (a.ts.dt.hour == 7)]
    quiet = a[~a.training_active & (a.ts.dt.hour == 7)]
    assert pair_a.busy([(0.5, 0.05)])[0].n == len(busy) == 20
    assert pair_a.quiet([(0.5, 0.05)])[0].value == pytest.approx(quiet.latency_ms.quantile(0.5))
    assert sampled.totals["cold_start_rate"].value == pytest.approx(frame.is_cold.mean())
    assert sampled.method["cold_start_method"] == "is_cold column"
    assert sampled.method["training_windows"] == ["2026-11-03 06:00-07:59 UTC"]
