"""latency_tail from histograms on the fixed log grid (stats.log_bins) instead of rows.

Input `histogram`: `endpoint` (or `model`), optional `latency_class` and `is_cold`, `bin` (the
grid index, see `airflow_evalguard.sources.histograms`) and `count`. Quantiles are within
log_bins.RELATIVE_ERROR (1%) of the row quantiles and their intervals contain the row intervals,
so decisions are the same except where a p99 sits within 1% of a threshold. SLO, cold-start tax
and fine-tune comparisons work from histograms; training contention needs request times (rows).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.aggregates import whole_counts
from airflow_evalguard.checks.latency_tail.families import check_params
from airflow_evalguard.checks.latency_tail.read_rows import ALL_CLASSES, MISSING
from airflow_evalguard.checks.latency_tail.tails import ColdSplit, Estimator, Group, GroupSample, Sampled
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.log_bins import RATIO, RELATIVE_ERROR, binned_quantiles, high_edge, low_edge
from airflow_evalguard.stats.order_stat import QuantileEstimate

# The quantiles are read at bin midpoints, the intervals' ends at bin edges: half a bin further out.
HALF_BIN = math.log(RATIO) / 2


def sample_histogram(tables: dict[str, TableInput], params: dict[str, Any]) -> Sampled:
    if "training_windows" in tables:
        raise EvalGuardInputError("input 'training_windows' needs request times: give 'requests' rows, not a histogram")
    if params["protected_windows"] or params["idle_timeout_s"] is not None:
        raise EvalGuardInputError(
            "params 'protected_windows' and 'idle_timeout_s' need request times; a histogram "
            "carries none (give is_cold per bin for the cold-start tax)"
        )
    df = read_histogram(tables["histogram"])
    check_params(params, sorted(df["latency_class"].unique()), list(df["endpoint"].unique()), "histogram")
    has_cold = "is_cold" in df
    samples = []
    for (endpoint, klass), frame in df.groupby(["endpoint", "latency_class"], sort=True):
        n = int(frame["count"].sum())
        if n:
            samples.append(_sample(Group(str(endpoint), str(klass), n), frame, has_cold))
    total = int(df["count"].sum())
    totals = {"requests": Metric(total), "endpoints": Metric(int(df["endpoint"].nunique()))}
    if has_cold:
        totals["cold_start_rate"] = Metric(float(df.loc[df["is_cold"], "count"].sum() / total), n=total)
    bins = df["bin"].to_numpy()
    evidence = (
        df.assign(bin_low_ms=low_edge(bins), bin_high_ms=high_edge(bins))
        .sort_values("bin", ascending=False)
        .head(1000)
        .reset_index(drop=True)
    )
    method = {
        "input_form": "histogram",
        "quantile_method": "numpy linear positions read at log-bin midpoints",
        "quantile_relative_error_bound": RELATIVE_ERROR,
        "ci_method": "order-statistic binomial interval widened to bin edges (conservative)",
        "cold_start_method": "is_cold column" if has_cold else None,
    }
    return Sampled(samples, totals, evidence, method)


def read_histogram(table: TableInput) -> pd.DataFrame:
    available = set(table.columns())
    endpoint = "endpoint" if "endpoint" in available else "model" if "model" in available else None
    if endpoint is None:
        raise EvalGuardInputError("input 'histogram': needs an 'endpoint' (or 'model') column", input_name="histogram")
    optional = [c for c in ("latency_class", "is_cold") if c in available]
    df = table.read([endpoint, "bin", "count", *optional]).rename(columns={endpoint: "endpoint"})
    if len(df) == 0:
        raise EvalGuardInputError("input 'histogram': no rows", input_name="histogram")
    df["count"] = whole_counts(df["count"], "histogram")
    bins = pd.to_numeric(df["bin"], errors="coerce")
    if (bins.isna() | (bins < 0) | (bins.fillna(0) % 1 != 0)).any():
        raise EvalGuardInputError(
            "input 'histogram': column 'bin' must hold grid indices (whole numbers >= 0)",
            input_name="histogram",
            column="bin",
        )
    df["bin"] = bins.astype(np.int64)
    df["endpoint"] = df["endpoint"].astype("string").fillna(MISSING)
    if "latency_class" in df:
        df["latency_class"] = df["latency_class"].astype("string").fillna(MISSING)
    else:
        df["latency_class"] = ALL_CLASSES
    if "is_cold" in df:
        df["is_cold"] = df["is_cold"].astype(bool)
    return df


def _estimator(frame: pd.DataFrame) -> Estimator:
    def estimate(specs: list[tuple[float, float]]) -> list[QuantileEstimate]:
        return binned_quantiles(frame["bin"].to_numpy(), frame["count"].to_numpy(), specs)

    return estimate


def _sample(group: Group, frame: pd.DataFrame, has_cold: bool) -> GroupSample:
    if not has_cold:
        return GroupSample(group, _estimator(frame), widening=HALF_BIN)
    cold_count = float(frame.loc[frame["is_cold"], "count"].sum())
    warm_count = float(frame.loc[~frame["is_cold"], "count"].sum())

    def tail_share(p99: float) -> tuple[float, int]:
        above = frame[low_edge(frame["bin"].to_numpy()) >= p99]  # bins wholly above p99
        n_above = int(above["count"].sum())
        return (float(above.loc[above["is_cold"], "count"].sum() / n_above) if n_above else 0.0), n_above

    warm = _estimator(frame[~frame["is_cold"]]) if cold_count > 0 and warm_count > 0 else None
    return GroupSample(
        group, _estimator(frame), ColdSplit(float(cold_count / group.n), warm, tail_share), widening=HALF_BIN
    )
