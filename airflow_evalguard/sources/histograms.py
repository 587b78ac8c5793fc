"""Latency histograms on the fixed log grid from rows in pandas (SqlSource: sql_engine.log_bin)."""

from __future__ import annotations

import pandas as pd

from airflow_evalguard.stats.log_bins import bin_index


def latency_histogram(
    requests: pd.DataFrame, by: tuple[str, ...] = ("endpoint", "latency_class", "is_cold")
) -> pd.DataFrame:
    """`by` columns present in `requests`, `bin`, `count`: what latency_tail reads as `histogram`."""
    keys = [c for c in by if c in requests.columns]
    binned = requests[keys].assign(bin=bin_index(requests["latency_ms"].to_numpy()))
    return binned.groupby([*keys, "bin"], observed=True, dropna=False).size().rename("count").reset_index()
