"""Large parquet paths are aggregated by streaming, without being asked: the default path stays bounded.

A gate input given as a plain local path or s3:// URI to a parquet file, for an input whose
check reads it only through a sufficient statistic that `sources.stream` reproduces exactly, is
replaced by that statistic when the file's footer says it holds more rows than the threshold
(`settings.auto_stream_rows`, the operator's `auto_stream_rows`, the CLI's --auto-stream-rows).
Smaller inputs keep the row path and what only rows give (per-row weights). The result's
params["input_sources"] names the form that ran: "stream (automatic: N rows > threshold)".

Which inputs are routed, and why the others are not: docs/decisions/automatic-streaming.md.
Anything this module is unsure of (a column missing, a timestamp stored as text or numbers, a
footer it cannot read) leaves the input on the row path, which refuses bad input as it always did:
routing never decides a verdict, and never lets an input through unchecked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from airflow_evalguard.checks import get_check
from airflow_evalguard.columns.timestamps import validate_timezone
from airflow_evalguard.core.sources import InputReader
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.input_errors import malformed_content
from airflow_evalguard.sources import stream
from airflow_evalguard.sources.local_reader import LocalReader
from airflow_evalguard.sources.sql import SOURCE_ATTR

log = logging.getLogger(__name__)

HOUR, COUNT = "hour_of_day", "count"
PARQUET_SUFFIXES = (".parquet", ".pq")

# input name, the check's resolved params, the file's schema -> the stream call, or None (rows)
Route = Callable[[str, dict[str, Any], pa.Schema], tuple[Callable[..., Any], dict[str, Any]] | None]


def _sampling_window(input_name: str, params: dict[str, Any], schema: pa.Schema):
    """sample and reference -> counts per (hour of day, strata), exactly what the check reads from rows.

    Not the sample when `id_column` is set: its per-row weights (weights.parquet by id) need rows."""
    if input_name not in ("sample", "reference") or (input_name == "sample" and params["id_column"]):
        return None
    timestamp = params["timestamp_column"]
    dimensions = [dim for dim in dict.fromkeys(params["dimensions"]) if dim != HOUR]
    names = set(schema.names)
    if COUNT in names or timestamp in dimensions or not {timestamp, *dimensions} <= names:
        return None  # already counts, or a parameter the row path refuses with its own words
    if not pa.types.is_timestamp(schema.field(timestamp).type):
        return None  # numbers (Unix seconds) and text are parsed by the row path only
    if not _known_timezone(params["timezone"]):
        return None
    kwargs = {"timestamp_column": timestamp, "dimensions": dimensions, "timezone": params["timezone"]}
    return stream.sampling_window_counts, kwargs


ROUTES: dict[str, Route] = {"sampling_window": _sampling_window}


def _known_timezone(timezone: str) -> bool:
    try:
        validate_timezone(timezone)
    except EvalGuardInputError:
        return False
    return True


def _is_parquet_path(value: Any) -> bool:
    return isinstance(value, str) and value.lower().endswith(PARQUET_SUFFIXES)


def _footer(path: str, reader: InputReader) -> tuple[pa.Schema, int] | None:
    """The schema and row count from the parquet footer(s) alone; None when unreadable (the row
    path then refuses the file as it always did). Network and permission errors stay retryable."""
    try:
        filesystem, where = reader.arrow_filesystem(path)
        dataset = ds.dataset(where, format="parquet", filesystem=filesystem)
        return dataset.schema, dataset.count_rows()
    except EvalGuardInputError:
        return None
    except FileNotFoundError:
        return None
    except Exception as exc:
        if malformed_content(exc):
            return None
        raise


def stream_large_inputs(
    check: str, inputs: dict[str, Any], params: dict[str, Any] | None, reader: InputReader | None, threshold: int
) -> dict[str, Any]:
    """`inputs` with each routed parquet path of more than `threshold` rows replaced by its
    streamed aggregate (a DataFrame whose attrs say how it was made); everything else as given."""
    route = ROUTES.get(check)
    if route is None or not any(_is_parquet_path(value) for value in inputs.values()):
        return inputs
    resolved = get_check(check).resolve_params(params)  # bad params: refused here as run_check would
    reader = reader if reader is not None else LocalReader()
    out = dict(inputs)
    for name, value in inputs.items():
        if not _is_parquet_path(value):
            continue
        footer = _footer(value, reader)
        if footer is None or footer[1] <= threshold:
            continue
        schema, rows = footer
        chosen = route(name, resolved, schema)
        if chosen is None:
            log.info("input %s: %d rows, kept on the row path (its columns or params need rows)", name, rows)
            continue
        function, kwargs = chosen
        try:
            table = function(value, **kwargs, reader=reader)
        except EvalGuardInputError as exc:  # bad content met mid-scan: named as the row path names it
            raise EvalGuardInputError(
                f"input '{name}' (streamed automatically): {exc}", input_name=name, column=exc.column
            ) from None
        table.attrs[SOURCE_ATTR] = {"form": f"stream (automatic: {rows} rows > {threshold})", "path": value}
        out[name] = table
    return out
