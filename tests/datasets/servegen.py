"""Draw eval samples from the real ServeGen traffic shape (tests/data/servegen_m_small)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

HOURLY = Path(__file__).resolve().parents[1] / "data" / "servegen_m_small" / "hourly_requests.csv"
START = pd.Timestamp("2026-10-05", tz="UTC")


@lru_cache(maxsize=1)
def hourly() -> pd.DataFrame:
    return pd.read_csv(HOURLY)


def reference_by_hour(with_client: bool = False) -> pd.DataFrame:
    """The production mix pre-aggregated: hour_of_day (+ client) and a request count."""
    keys = ["hour", "client"] if with_client else ["hour"]
    agg = hourly().groupby(keys, as_index=False)["requests"].sum()
    agg = agg.rename(columns={"hour": "hour_of_day", "requests": "count"})
    if with_client:
        agg["client"] = "c" + agg["client"].astype(str)
    return agg


def draw_sample(n: int, rng: np.random.Generator, hours: tuple[int, ...] | None = None) -> pd.DataFrame:
    """n requests drawn in proportion to traffic (optionally only from some hours of the day)."""
    table = hourly()
    if hours is not None:
        table = table[table["hour"].isin(hours)]
    weights = table["requests"].to_numpy()
    idx = rng.choice(len(table), size=n, p=weights / weights.sum())
    rows = table.iloc[idx]
    seconds = rows["day"].to_numpy() * 86400 + rows["hour"].to_numpy() * 3600 + rng.integers(0, 3600, n)
    return pd.DataFrame(
        {"ts": START + pd.to_timedelta(seconds, unit="s"), "client": "c" + rows["client"].astype(str).to_numpy()}
    )
