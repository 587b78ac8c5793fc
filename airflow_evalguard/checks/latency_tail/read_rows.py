"""Read serving requests into flat numpy arrays, validated, in time order.

Tens of millions of rows: parquet is read with pyarrow (not through pandas), strings stay
dictionary codes, timestamps become int64 nanoseconds (UTC), and nothing is copied per group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from airflow_evalguard.columns.timestamps import to_datetime
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput

ALL_CLASSES = "all"
MISSING = "(missing)"


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
    pool: np.ndarray | None  # int codes into pools
    pools: list[str] | None
    dropped_invalid: int = 0
    was_unsorted: bool = False

    def __len__(self) -> int:
        return len(self.latency)


def encode(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """Dictionary codes (int32) and labels; a missing value is a label of its own."""
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    column = column.unify_dictionaries()
    if column.num_chunks == 0:
        return np.zeros(0, dtype=np.int32), []
    labels = [str(v) for v in column.chunks[0].dictionary.to_pylist()]
    codes = np.concatenate(
        [
            (c.indices if c.indices.null_count == 0 else c.indices.fill_null(-1))
            .to_numpy(zero_copy_only=False)
            .astype(np.int32, copy=False)
            for c in column.chunks
        ]
    )
    if (codes < 0).any():
        codes[codes < 0] = len(labels)
        labels.append(MISSING)
    return codes, labels


def _numpy(column: pa.ChunkedArray) -> np.ndarray:
    """One copy: the chunks as zero-copy views, concatenated once."""
    chunks = [c.to_numpy(zero_copy_only=False) for c in column.chunks]
    return np.concatenate(chunks) if len(chunks) != 1 else chunks[0]


def _latency(column: pa.ChunkedArray) -> np.ndarray:
    if pa.types.is_float64(column.type) and column.null_count == 0:
        return _numpy(column)
    if pa.types.is_floating(column.type) or pa.types.is_integer(column.type) or pa.types.is_decimal(column.type):
        return np.asarray(pc.fill_null(pc.cast(column, pa.float64()), float("nan")).to_numpy())
    return np.asarray(pd.to_numeric(column.to_pandas(), errors="coerce").to_numpy(dtype=np.float64))


def _timestamps(column: pa.ChunkedArray, timezone: str) -> np.ndarray:
    if pa.types.is_timestamp(column.type) and column.type.tz is not None:
        if column.null_count:
            raise EvalGuardInputError(
                f"input 'requests': column 'ts' has {column.null_count} missing timestamp(s)",
                input_name="requests",
                column="ts",
            )
        if column.type.unit != "ns":
            column = pc.cast(column, pa.timestamp("ns", tz=column.type.tz))
        return _numpy(column).view(np.int64)  # epoch ns are UTC whatever the zone label
    parsed = to_datetime(column.to_pandas(), input_name="requests", column="ts")
    if not isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
        if parsed.isna().any():
            raise EvalGuardInputError(
                "input 'requests': some naive timestamps do not exist or are ambiguous in "
                f"timezone {timezone!r} (a DST change); give timestamps with an offset",
                input_name="requests",
                column="ts",
            )
    return np.asarray(parsed.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]")).view(np.int64)


def _bool(column: pa.ChunkedArray, name: str) -> np.ndarray:
    if column.null_count:
        raise EvalGuardInputError(
            f"input 'requests': column '{name}' has {column.null_count} missing value(s); give "
            "true or false for every request",
            input_name="requests",
            column=name,
        )
    if pa.types.is_boolean(column.type):
        return np.asarray(column.to_numpy(zero_copy_only=False)).astype(bool, copy=False)
    text = column.to_pandas().astype("string").str.strip().str.lower()
    truth, false = text.isin(["true", "1", "yes", "t", "y"]), text.isin(["false", "0", "no", "f", "n"])
    bad = ~(truth | false)
    if bad.any():
        raise EvalGuardInputError(
            f"input 'requests': column '{name}' must be true/false; got {text[bad].head(3).tolist()}",
            input_name="requests",
            column=name,
        )
    return np.asarray(truth.to_numpy(dtype=bool))


def _valid_latencies(latency: np.ndarray, drop_invalid: bool) -> tuple[np.ndarray, np.ndarray | None, int]:
    """(the valid latencies, which rows they are or None for all, how many were dropped)."""
    if len(latency) == 0:
        raise EvalGuardInputError("input 'requests': no rows", input_name="requests")
    invalid = ~np.isfinite(latency) | (latency < 0)
    dropped = int(invalid.sum())
    if not dropped:
        return latency, None, 0
    if not drop_invalid:
        rows = np.flatnonzero(invalid)[:5].tolist()
        raise EvalGuardInputError(
            f"input 'requests': {dropped} request(s) have a missing, non-numeric, negative or infinite "
            f"latency_ms (rows {rows}); fix them, or pass drop_invalid=true to count and drop them",
            input_name="requests",
            column="latency_ms",
        )
    if dropped == len(latency):
        raise EvalGuardInputError(
            "input 'requests': every latency is invalid", input_name="requests", column="latency_ms"
        )
    keep = ~invalid
    return latency[keep], keep, dropped


def read_requests(table: TableInput, params: dict[str, Any]) -> Requests:
    available = set(table.columns())
    endpoint_col = "endpoint" if "endpoint" in available else "model" if "model" in available else None
    if endpoint_col is None:
        raise EvalGuardInputError(
            "input 'requests': needs an 'endpoint' (or 'model') column", input_name="requests", column="endpoint"
        )
    table.require(["ts", "latency_ms"])

    def column(name: str) -> pa.ChunkedArray:
        # One column at a time: the Arrow buffers of one are freed before the next is read, so
        # peak memory is the numpy arrays plus one column, not plus the whole table.
        return table.read_arrow([name]).column(name)

    latency, keep, dropped = _valid_latencies(_latency(column("latency_ms")), params["drop_invalid"])

    def kept(values: np.ndarray) -> np.ndarray:
        return values if keep is None else values[keep]

    ts = _timestamps(column("ts") if keep is None else column("ts").filter(pa.array(keep)), params["timezone"])
    unsorted = bool(len(ts) > 1 and (ts[1:] < ts[:-1]).any())
    order = np.argsort(ts, kind="stable") if unsorted else None

    def take(values: np.ndarray) -> np.ndarray:
        return values if order is None else values[order]

    def take_optional(values: np.ndarray | None) -> np.ndarray | None:
        return None if values is None else take(values)

    endpoint, endpoints = encode(column(endpoint_col))
    if "latency_class" in available:
        klass, classes = encode(column("latency_class"))
    else:
        klass, classes = np.zeros(len(endpoint), dtype=np.int32), [ALL_CLASSES]
    replica = None
    if "replica" in available:
        rep, reps = encode(column("replica"))
        replica = endpoint * np.int32(max(len(reps), 1)) + rep
    is_cold = kept(_bool(column("is_cold"), "is_cold")) if "is_cold" in available else None
    training = kept(_bool(column("training_active"), "training_active")) if "training_active" in available else None
    pool, pools = encode(column("pool")) if "pool" in available else (None, None)
    return Requests(
        ts=take(ts),
        latency=take(latency),
        endpoint=take(kept(endpoint)),
        endpoints=endpoints,
        klass=take(kept(klass)),
        classes=classes,
        replica=take_optional(None if replica is None else kept(replica)),
        is_cold=take_optional(is_cold),
        training=take_optional(training),
        pool=take_optional(None if pool is None else kept(pool)),
        pools=pools,
        dropped_invalid=dropped,
        was_unsorted=unsorted,
    )
