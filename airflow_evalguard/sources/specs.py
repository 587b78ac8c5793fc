"""Inputs given as aggregation specs, resolved when the gate runs.

A gate's input may name where its sufficient statistics come from instead of holding them:
    {"sql": "refusal_cells", "conn_id": "warehouse", "baseline_table": "...", "candidate_table": "..."}
    {"stream": "sampling_window_counts", "path": "s3://bucket/exports/sample/", "dimensions": [...]}
The gate runs the aggregation in the database (SqlSource) or streams the parquet in record
batches (sources.stream) inside execute(), so the spec is plain JSON that Airflow serializes and
templates, and nothing is queried at DAG-parse time. An aggregation that returns several tables
(assignment_tables) fills each of its inputs. A harness log (`{"inspect_log": ...}`,
`{"lm_eval_samples": ..., "results": ...}`, `{"promptfoo_results": ...}`) is read here too,
into the table `airflow_evalguard.harnesses` builds from it. A spec's `columns` mapping
(check column -> column of the aggregated table) renames the table it returns.
"""

from __future__ import annotations

import inspect
import logging
import time
from typing import Any

from airflow_evalguard.checks.unprocessable import refusing_unprocessable_inputs
from airflow_evalguard.columns.mapping import spec_column_mapping
from airflow_evalguard.core.sources import InputReader
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.forms import is_harness_input
from airflow_evalguard.harnesses.pairs import refuse_different_tasks
from airflow_evalguard.harnesses.resolve import read_harness_input
from airflow_evalguard.io.mapped import map_frame
from airflow_evalguard.sources import stream
from airflow_evalguard.sources.local_reader import LocalReader
from airflow_evalguard.sources.sql import SOURCE_ATTR, SqlSource

log = logging.getLogger(__name__)

SQL_AGGREGATES = (
    "sampling_window_counts",
    "refusal_cells",
    "paired_cells",
    "paired_moments",
    "label_counts",
    "latency_histogram",
    "judge_score_counts",
    "rubric_item_sums",
    "assignment_tables",
)
STREAM_AGGREGATES = ("sampling_window_counts", "refusal_cells", "counts")


def is_spec(value: Any) -> bool:
    return isinstance(value, dict) and ("sql" in value or "stream" in value)


def _call(fn, what: str, args: list, kwargs: dict):
    try:
        inspect.signature(fn).bind(*args, **kwargs)
    except TypeError as exc:
        raise EvalGuardInputError(f"{what}: {exc}") from None
    return fn(*args, **kwargs)


def _resolve_one(name: str, spec: dict, reader: InputReader, sql_external_access: bool) -> Any:
    spec = dict(spec)
    if "sql" in spec and "stream" in spec:
        raise EvalGuardInputError(f"input '{name}': give 'sql' or 'stream', not both", input_name=name)
    if "sql" in spec:
        method = spec.pop("sql")
        if method not in SQL_AGGREGATES:
            raise EvalGuardInputError(
                f"input '{name}': unknown sql aggregation {method!r}; one of {list(SQL_AGGREGATES)}", input_name=name
            )
        what = f"input '{name}' (sql {method})"
        try:
            source = SqlSource(
                conn_id=spec.pop("conn_id", None),
                database=spec.pop("database", None),
                duckdb_config=spec.pop("duckdb_config", None),
                external_access=sql_external_access,
                dialect=spec.pop("dialect", None),
            )
            return _call(getattr(source, method), what, [], spec)
        except EvalGuardInputError as exc:
            if str(exc).startswith(what):
                raise
            raise EvalGuardInputError(f"{what}: {exc}", input_name=name, column=exc.column) from None
    method = spec.pop("stream")
    if method not in STREAM_AGGREGATES:
        raise EvalGuardInputError(
            f"input '{name}': unknown stream aggregation {method!r}; one of {list(STREAM_AGGREGATES)}", input_name=name
        )
    if "path" not in spec:
        raise EvalGuardInputError(f"input '{name}': a stream spec needs 'path'", input_name=name)
    return _call(
        getattr(stream, method), f"input '{name}' (stream {method})", [spec.pop("path")], {**spec, "reader": reader}
    )


def _mapped(name: str, mapping: dict[str, str], result: Any) -> Any:
    """The aggregated table under the spec's `columns` mapping (check column -> result column)."""
    if not mapping:
        return result
    if isinstance(result, dict):
        raise EvalGuardInputError(
            f"input '{name}': 'columns' maps one table, but this aggregation fills {sorted(result)}", input_name=name
        )
    return map_frame(result, mapping, name)


def _record_form(table: Any, form: str) -> None:
    """Say on the table how it was aggregated (run_check echoes it as params["input_sources"])."""
    attrs = getattr(table, "attrs", None)
    if isinstance(attrs, dict):
        attrs[SOURCE_ATTR] = {**attrs.get(SOURCE_ATTR, {}), "form": form}


def resolve_inputs(
    inputs: dict[str, Any], reader: InputReader | None = None, *, sql_external_access: bool = False
) -> dict[str, Any]:
    """Inputs with every spec replaced by the table(s) its aggregation returns.

    Streamed paths are read through `reader`, which the shell hands in (the operator's
    S3HookReader for its aws_conn_id; None reads local paths only). SQL specs name their own
    connection (`conn_id`), which this code hands to the database hook.

    `sql_external_access=True` lets an embedded DuckDB read files and URLs named as tables and
    load its extensions. Specs are rendered templates (params, dag_run.conf can reach them), so
    this comes only from the DAG author's code: EvalGuardOperator's non-templated argument of the
    same name, or a CLI flag. Off, DuckDB reads nothing but its own database file."""
    if not isinstance(sql_external_access, bool):  # "false" from a rendered string would be truthy
        raise EvalGuardInputError(f"sql_external_access must be True or False, not {str(sql_external_access)[:50]!r}")
    out = {name: value for name, value in inputs.items() if not is_spec(value) and not is_harness_input(value)}
    stream_reader = reader if reader is not None else LocalReader()
    for name, value in inputs.items():
        if is_harness_input(value):
            with refusing_unprocessable_inputs(
                name, what=f"the harness log of input '{name}'", hint="check the log and the input's keys"
            ):
                out[name] = read_harness_input(name, value, stream_reader)
            continue
        if not is_spec(value):
            continue
        t0 = time.perf_counter()
        # A spec is a rendered template: a wrong type inside it (a list where a table name goes)
        # fails the same way on every retry, so it is refused as bad input, not retried.
        with refusing_unprocessable_inputs(
            name, what=f"the aggregation spec of input '{name}'", hint="check the spec's arguments and their types"
        ):
            mapping = spec_column_mapping(name, value)  # a list of columns is stream counts' own argument
            spec = {key: item for key, item in value.items() if key != "columns" or isinstance(item, list)}
            result = _resolve_one(name, spec, stream_reader, sql_external_access)
            result = _mapped(name, mapping, result)
        tables = result if isinstance(result, dict) else {name: result}
        for key, table in tables.items():
            _record_form(table, "sql" if "sql" in value else "stream")
            if key in out:
                raise EvalGuardInputError(
                    f"input '{key}' is given twice (directly and by the aggregation of input '{name}')", input_name=key
                )
            out[key] = table
        log.info(
            "input %s: aggregated to %s in %.2f s",
            name,
            {k: len(t) for k, t in tables.items()},
            time.perf_counter() - t0,
        )
    refuse_different_tasks(out, {name for name, value in inputs.items() if is_harness_input(value)})
    return out
