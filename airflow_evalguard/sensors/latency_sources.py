"""Latency sources for LatencyWindowSensor: the p99 of a class over a trailing window."""

from __future__ import annotations


def p99_from_table(
    path: str, latency_class: str, window_s: float, now: str | None = None, aws_conn_id: str | None = "aws_default"
) -> float:
    """p99 (ms) of `latency_class` over the `window_s` seconds before `now` (default: the newest
    request) in a request log with ts, latency_ms and latency_class columns. No request in the
    window is +inf: silence is not evidence of a calm tail. An s3:// log is read through the
    Airflow connection `aws_conn_id`."""
    import numpy as np
    import pandas as pd

    from airflow_evalguard.hooks.s3_reader import S3HookReader
    from airflow_evalguard.io import TableInput
    from airflow_evalguard.uri import is_s3

    reader = S3HookReader(aws_conn_id) if is_s3(path) else None
    frame = TableInput("latency_source", path, reader).read(["ts", "latency_ms", "latency_class"])
    ts = pd.to_datetime(frame["ts"], utc=True)
    end = pd.Timestamp(now) if now is not None else ts.max()
    recent = (ts > end - pd.Timedelta(seconds=window_s)) & (ts <= end) & (frame["latency_class"] == latency_class)
    values = frame.loc[recent, "latency_ms"].to_numpy(dtype=float)
    return float(np.quantile(values, 0.99)) if len(values) else float("inf")
