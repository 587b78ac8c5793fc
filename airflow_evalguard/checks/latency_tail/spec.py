"""latency_tail's inputs and parameters (light: no pandas, read when a DAG file is parsed)."""

from __future__ import annotations

from airflow_evalguard.core import params
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec

SPEC = CheckSpec(
    name="latency_tail",
    summary="Is the p99 of each endpoint and latency class within its SLO, and is it inflated by cold starts, by "
    "training sharing the GPU pool, or by a fine-tune against its base model?",
    inputs={
        "requests": InputSpec(
            "one row per request: ts, endpoint (or model), latency_ms; optional replica, is_cold, "
            "latency_class, training_active, pool",
            required=False,
        ),
        "histogram": InputSpec(
            "instead of requests: counts per bin of the log grid: endpoint, optional "
            "latency_class and is_cold, bin, count (airflow_evalguard.sources.histograms)",
            required=False,
        ),
        "training_windows": InputSpec("training windows: start, end (with a time zone), optional pool", required=False),
    },
    params={
        "quantiles": ParamSpec([0.5, 0.95, 0.99], list, "quantiles reported per endpoint and class"),
        "slo_ms": ParamSpec(None, dict, "latency_class -> p99 target in ms", nullable=True),
        "idle_timeout_s": ParamSpec(
            None,
            float,
            "a request after at least this idle gap on its replica (or endpoint) is a cold start, when is_cold "
            "is absent",
            nullable=True,
            minimum=0,
        ),
        "baseline_endpoint": ParamSpec(
            None, str, "endpoint (e.g. the base model) every other endpoint's p99 is compared with", nullable=True
        ),
        "protected_windows": ParamSpec(
            None, list, "daily windows 'HH:MM-HH:MM' (in timezone) where training contention is judged", nullable=True
        ),
        "timezone": ParamSpec("UTC", str, "time zone of the protected windows and of naive timestamps"),
        "warn_at": params.warn_at(0.10, "relative p99 inflation that warns"),
        "fail_at": params.fail_at(0.25, "relative p99 inflation that fails"),
        "alpha": params.alpha("significance level; intervals are at 1 - alpha"),
        "drop_invalid": ParamSpec(False, bool, "count and drop NaN/negative latencies instead of failing"),
    },
    decide="airflow_evalguard.checks.latency_tail.decide:decide",
    headline=("requests", "endpoints", "cold_start_rate"),
    plots=None,
)
