"""Synthetic serving logs for the latency gate: a base model and its fine-tune, two latency
classes, three days, on a GPU pool that nightly training shares.

- Healthy: training runs 00:00-04:00 UTC, outside the protected morning (07:00-11:00 UTC);
  cold starts are rare (the platform keeps replicas warm).
- Fault `cold_start_tail`: the fine-tune scales to zero between bursts; 4% of its requests wait
  3-9 s for the model to load, which the mean hides and p99 does not.
- Fault `training_contention`: on the second day training overruns into the morning
  (06:00-10:00 UTC) and every request in that window is 60% slower.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2026-11-02", tz="UTC")
DAYS = 3
ENDPOINTS = ("base-8b", "support-ft-8b")
CLASSES = {"interactive": (380.0, 0.45), "batch": (2200.0, 0.5)}  # median ms, lognormal sigma
SLO_MS = {"interactive": 2500, "batch": 12000}
PROTECTED = ["07:00-11:00"]


def training_windows(fault: str | None) -> pd.DataFrame:
    rows = [(START + pd.Timedelta(days=d, hours=0), START + pd.Timedelta(days=d, hours=4)) for d in range(DAYS)]
    if fault == "training_contention":
        rows[1] = (START + pd.Timedelta(days=1, hours=6), START + pd.Timedelta(days=1, hours=10))
    return pd.DataFrame({"start": [r[0] for r in rows], "end": [r[1] for r in rows], "pool": "gpu-a100-shared"})


def requests(fault: str | None, seed: int = 0, n: int = 160_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 90)
    seconds = np.sort(rng.integers(0, DAYS * 86400, n))
    ts = START + pd.to_timedelta(seconds, unit="s")
    endpoint = np.array(ENDPOINTS)[rng.integers(0, len(ENDPOINTS), n)]
    klass = np.where(rng.random(n) < 0.7, "interactive", "batch")
    median = np.where(klass == "interactive", CLASSES["interactive"][0], CLASSES["batch"][0])
    sigma = np.where(klass == "interactive", CLASSES["interactive"][1], CLASSES["batch"][1])
    latency = median * np.exp(sigma * rng.standard_normal(n))
    windows = training_windows(fault)
    training = np.zeros(n, dtype=bool)
    for start, end in zip(windows["start"], windows["end"], strict=True):
        training |= (ts >= start) & (ts < end)
    if fault == "training_contention":
        latency = np.where(training, latency * 1.6, latency)
    cold_rate = np.where((endpoint == "support-ft-8b") & (fault == "cold_start_tail"), 0.04, 0.0005)
    is_cold = rng.random(n) < cold_rate
    latency = latency + is_cold * rng.uniform(3000, 9000, n)
    return pd.DataFrame(
        {
            "ts": ts,
            "endpoint": endpoint,
            "replica": rng.integers(0, 4, n).astype(str),
            "latency_class": klass,
            "latency_ms": latency,
            "is_cold": is_cold,
            "training_active": training,
        }
    )
