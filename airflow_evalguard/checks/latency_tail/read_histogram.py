"""latency_tail from histograms on the fixed log grid (stats.log_bins) instead of rows.

Input `histogram`: `endpoint` (or `model`), optional `latency_class` and `is_cold`, `bin` (the
grid index, see `airflow_evalguard.sources.histograms`) and `count`. Quantiles are within
log_bins.RELATIVE_ERROR (1%) of the row quantiles and their intervals contain the row intervals,
so decisions are the same except where a p99 sits within 1% of a threshold. SLO, cold-start tax
and fine-tune comparisons work from histograms; training contention needs request times (rows).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.aggregates import whole_counts
from airflow_evalguard.checks.latency.requests import ALL_CLASSES
from airflow_evalguard.checks.latency_tail import (
    Decision, Group, baseline_decisions, cold_tax_decision, estimate_groups, plan_families, result, slo_decisions)
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.log_bins import RELATIVE_ERROR, binned_quantiles, high_edge, low_edge

TAIL = 0.99


def _read(table: TableInput) -> pd.DataFrame:
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
        raise EvalGuardInputError("input 'histogram': column 'bin' must hold grid indices (whole numbers >= 0)",
                                  input_name="histogram", column="bin")
    df["bin"] = bins.astype(np.int64)
    df["endpoint"] = df["endpoint"].astype("string").fillna("(missing)")
    df["latency_class"] = df["latency_class"].astype("string").fillna("(missing)") if "latency_class" in df \
        else ALL_CLASSES
    if "is_cold" in df:
        df["is_cold"] = df["is_cold"].astype(bool)
    return df


def _tails(frame: pd.DataFrame, alphas: set[float], reported: list[float] | None = None, alpha: float = 0.05):
    specs = [(q, alpha) for q in (reported or [])] + [(TAIL, a) for a in sorted(alphas)]
    ests = binned_quantiles(frame["bin"].to_numpy(), frame["count"].to_numpy(), specs)
    k = len(reported or [])
    return ests[:k], dict(zip(sorted(alphas), ests[k:]))


def run_binned(tables: dict[str, TableInput], p: dict[str, Any]) -> "object":
    if "training_windows" in tables:
        raise EvalGuardInputError("input 'training_windows' needs request times: give 'requests' rows, not a histogram")
    if p["protected_windows"] or p["idle_timeout_s"] is not None:
        raise EvalGuardInputError("params 'protected_windows' and 'idle_timeout_s' need request times; a histogram "
                                  "carries none (give is_cold per bin for the cold-start tax)")
    df = _read(tables["histogram"])
    alpha, slo = p["alpha"], p["slo_ms"] or {}
    classes = sorted(df["latency_class"].unique())
    for klass in slo:
        if klass not in classes:
            raise EvalGuardInputError(f"param 'slo_ms': class {klass!r} has an SLO but no requests; classes in "
                                      f"the histogram: {classes}")
    if p["baseline_endpoint"] is not None and p["baseline_endpoint"] not in set(df["endpoint"]):
        raise EvalGuardInputError(f"param 'baseline_endpoint': {p['baseline_endpoint']!r} has no requests")
    parts = {key: frame for key, frame in df.groupby(["endpoint", "latency_class"], sort=True)}
    groups, frames = [], {}
    for (endpoint, klass), frame in parts.items():
        n = int(frame["count"].sum())
        if n == 0:
            continue
        g = Group(str(endpoint), str(klass), 0, n)
        groups.append(g)
        frames[id(g)] = frame
    has_cold = "is_cold" in df

    def cold_and_warm(g: Group) -> bool:
        f = frames[id(g)]
        return f.loc[f["is_cold"], "count"].sum() > 0 and f.loc[~f["is_cold"], "count"].sum() > 0

    fam = plan_families(groups, [g for g in groups if has_cold and cold_and_warm(g)], 0, p)
    full = estimate_groups(groups, fam, p, lambda g, alphas, reported, a: _tails(frames[id(g)], alphas, reported, a))
    decisions: list[Decision] = slo_decisions(fam, full, p)
    if has_cold:
        for g in groups:
            f = frames[id(g)]
            g.metrics["cold_start_rate"] = Metric(float(f.loc[f["is_cold"], "count"].sum() / g.n), n=g.n)
        for g in fam.cold:
            decisions.append(_cold_tax(g, frames[id(g)], full[id(g)], alpha, fam.a_cold, p))
    decisions += baseline_decisions(fam, full, p)
    for d in decisions:
        d.group.verdicts.append(d.verdict)

    total = int(df["count"].sum())
    metrics = {"requests": Metric(total), "endpoints": Metric(int(df["endpoint"].nunique()))}
    if has_cold:
        metrics["cold_start_rate"] = Metric(float(df.loc[df["is_cold"], "count"].sum() / total), n=total)
    evidence = df.assign(bin_low_ms=low_edge(df["bin"].to_numpy()), bin_high_ms=high_edge(df["bin"].to_numpy())) \
        .sort_values("bin", ascending=False).head(1000).reset_index(drop=True)
    params = {"input_form": "histogram", "quantile_method": "numpy linear positions read at log-bin midpoints",
              "quantile_relative_error_bound": RELATIVE_ERROR,
              "ci_method": "order-statistic binomial interval widened to bin edges (conservative)",
              "cold_start_method": "is_cold column" if has_cold else None}
    return result(groups, decisions, metrics, [], evidence, params, p)


def _cold_tax(g: Group, frame: pd.DataFrame, tails, alpha, a, p) -> Decision:
    _, warm = _tails(frame[~frame["is_cold"]], {alpha, alpha / 2, a})
    above = frame[low_edge(frame["bin"].to_numpy()) >= tails[alpha].value]  # bins wholly above p99
    n_above = int(above["count"].sum())
    share = float(above.loc[above["is_cold"], "count"].sum() / n_above) if n_above else 0.0
    return cold_tax_decision(g, tails, warm, share, n_above, alpha, a, p)
