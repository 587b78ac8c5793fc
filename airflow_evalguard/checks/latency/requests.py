"""Read serving requests into flat numpy arrays, validated, in time order.

Tens of millions of rows: columns are read pruned, strings stay categorical codes, timestamps
become int64 nanoseconds (UTC), and nothing is copied per group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from airflow_evalguard.columns.timestamps import to_datetime
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput

ALL_CLASSES = "all"


@dataclass
class Requests:
    ts: np.ndarray  # int64 ns since epoch, UTC, ascending
    latency: np.ndarray  # float64 ms
    endpoint: np.ndarray  # int codes into endpoints
    endpoints: list[str]
    klass: np.ndarray  # int codes into classes
    classes: list[str]
    replica: np.ndarray | None  # int codes (per endpoint+replica), None: use the endpoint
    is_cold: np.ndarray | None  # given by the caller
    training: np.ndarray | None  # given by the caller
    pool: np.ndarray | None  # object array of pool names, for training windows per pool
    dropped_invalid: int = 0
    was_unsorted: bool = False

    def __len__(self) -> int:
        return len(self.latency)


def _codes(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.cat.remove_unused_categories()
        return series.cat.codes.to_numpy(dtype=np.int32), [str(c) for c in series.cat.categories]
    codes, uniques = pd.factorize(series, sort=True)
    return codes.astype(np.int32), [str(u) for u in uniques]


def _bool(series: pd.Series, name: str) -> np.ndarray:
    if series.isna().any():
        raise EvalGuardInputError(f"input 'requests': column '{name}' has {int(series.isna().sum())} missing "
                                  "value(s); give true or false for every request", input_name="requests", column=name)
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=bool)
    text = series.astype("string").str.strip().str.lower()
    truth = text.isin(["true", "1", "yes", "t", "y"])
    false = text.isin(["false", "0", "no", "f", "n"])
    bad = ~(truth | false)
    if bad.any():
        raise EvalGuardInputError(f"input 'requests': column '{name}' must be true/false; got "
                                  f"{series[bad].head(3).tolist()}", input_name="requests", column=name)
    return truth.to_numpy(dtype=bool)


def read_requests(table: TableInput, p: dict) -> Requests:
    available = set(table.columns())
    endpoint_col = "endpoint" if "endpoint" in available else "model" if "model" in available else None
    if endpoint_col is None:
        raise EvalGuardInputError("input 'requests': needs an 'endpoint' (or 'model') column",
                                  input_name="requests", column="endpoint")
    optional = [c for c in ("replica", "is_cold", "latency_class", "training_active", "pool") if c in available]
    frame = table.read(["ts", "latency_ms", endpoint_col, *optional])
    if len(frame) == 0:
        raise EvalGuardInputError("input 'requests': no rows", input_name="requests")

    latency = pd.to_numeric(frame["latency_ms"], errors="coerce").to_numpy(dtype=np.float64)
    invalid = ~np.isfinite(latency) | (latency < 0)
    dropped = int(invalid.sum())
    if dropped:
        if not p["drop_invalid"]:
            rows = np.flatnonzero(invalid)[:5].tolist()
            raise EvalGuardInputError(
                f"input 'requests': {dropped} request(s) have a missing, non-numeric, negative or infinite "
                f"latency_ms (rows {rows}); fix them, or pass drop_invalid=true to count and drop them",
                input_name="requests", column="latency_ms")
        frame = frame.loc[~invalid].reset_index(drop=True)
        latency = latency[~invalid]
        if len(frame) == 0:
            raise EvalGuardInputError("input 'requests': every latency is invalid", input_name="requests",
                                      column="latency_ms")

    parsed = to_datetime(frame["ts"], input_name="requests", column="ts")
    if not isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(p["timezone"], ambiguous="NaT", nonexistent="NaT")
        if parsed.isna().any():
            raise EvalGuardInputError("input 'requests': some naive timestamps do not exist or are ambiguous in "
                                      f"timezone {p['timezone']!r} (a DST change); give timestamps with an offset",
                                      input_name="requests", column="ts")
    ts = parsed.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]").view(np.int64)

    unsorted = bool(len(ts) > 1 and (np.diff(ts) < 0).any())
    order = np.argsort(ts, kind="stable") if unsorted else None

    def take(a):
        return a if order is None or a is None else a[order]

    endpoint, endpoints = _codes(frame[endpoint_col])
    if "latency_class" in frame:
        klass, classes = _codes(frame["latency_class"].astype("string").fillna("(missing)"))
    else:
        klass, classes = np.zeros(len(frame), dtype=np.int32), [ALL_CLASSES]
    replica = None
    if "replica" in frame:
        key = frame[endpoint_col].astype("string") + "\x1f" + frame["replica"].astype("string").fillna("")
        replica = pd.factorize(key)[0].astype(np.int32)
    is_cold = _bool(frame["is_cold"], "is_cold") if "is_cold" in frame else None
    training = _bool(frame["training_active"], "training_active") if "training_active" in frame else None
    pool = frame["pool"].astype("string").to_numpy(dtype=object) if "pool" in frame else None
    return Requests(ts=take(ts), latency=take(latency), endpoint=take(endpoint), endpoints=endpoints,
                    klass=take(klass), classes=classes, replica=take(replica), is_cold=take(is_cold),
                    training=take(training), pool=take(pool), dropped_invalid=dropped, was_unsorted=unsorted)
