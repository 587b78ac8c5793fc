"""LatencyTailGateOperator: refuse a serving change whose tail latency breaks its SLO or regresses."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.operators.evalguard import EvalGuardOperator


class LatencyTailGateOperator(EvalGuardOperator):
    """The `latency_tail` check with typed arguments.

    :param requests: one row per request (path, ``s3://`` URI or DataFrame; templated).
    :param training_windows: optional training windows (start, end with a time zone, pool).
    :param histogram: instead of requests, counts per log-grid bin (see the check's docs).
    Every other argument left as None takes the check's default (see ``evalguard list``):
    quantiles [0.5, 0.95, 0.99], slo_ms None, idle_timeout_s None, baseline_endpoint None,
    protected_windows None, timezone "UTC", warn_at 0.1, fail_at 0.25, alpha 0.05,
    drop_invalid False.
    """

    def __init__(
        self,
        *,
        requests: Any = None,
        training_windows: Any = None,
        histogram: Any = None,
        quantiles: list | None = None,
        slo_ms: dict | None = None,
        idle_timeout_s: float | None = None,
        baseline_endpoint: str | None = None,
        protected_windows: list | None = None,
        timezone: str | None = None,
        warn_at: float | None = None,
        fail_at: float | None = None,
        alpha: float | None = None,
        drop_invalid: bool | None = None,
        **kwargs: Any,
    ) -> None:
        given = {
            "quantiles": quantiles,
            "slo_ms": slo_ms,
            "idle_timeout_s": idle_timeout_s,
            "baseline_endpoint": baseline_endpoint,
            "protected_windows": protected_windows,
            "timezone": timezone,
            "warn_at": warn_at,
            "fail_at": fail_at,
            "alpha": alpha,
            "drop_invalid": drop_invalid,
        }
        super().__init__(
            check="latency_tail",
            inputs={
                k: v
                for k, v in {"requests": requests, "training_windows": training_windows, "histogram": histogram}.items()
                if v is not None
            },
            check_params={k: v for k, v in given.items() if v is not None},
            **kwargs,
        )
