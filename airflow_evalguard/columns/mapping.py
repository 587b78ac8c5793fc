"""A `columns` mapping on a table input: {"<column the check reads>": "<column the table has>"}.

    {"path": "s3://evals/run-42/rows.parquet", "columns": {"example_id": "order_id"}}
    {"frame": dataframe, "columns": {"correct": "is_correct"}}
    {"sql": "refusal_cells", ..., "columns": {...}}   (applied to the table the aggregation returns)

Standard library only: operators check a literal mapping's shape when a DAG file is parsed, the
CLI when it parses ``--input``, and the reader again before anything is read. A mapping must be
text -> text and one-to-one: two check columns fed by one table column would let one column pass
as two independent measurements (an id as both `prompt_id` and `example_id` is fine to map once).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError

SOURCES = ("path", "frame")  # where a mapped table input's rows are: a path/URI, or a DataFrame


def check_column_mapping(input_name: str, mapping: Any) -> dict[str, str]:
    """`mapping` as a dict, or an input error naming the input and the entry that is wrong."""
    if not isinstance(mapping, Mapping):
        raise EvalGuardInputError(
            f"input '{input_name}': 'columns' must be a JSON object of check column -> table column, "
            f"got {type(mapping).__name__}",
            input_name=input_name,
        )
    for check_column, table_column in mapping.items():
        if not (isinstance(check_column, str) and check_column and isinstance(table_column, str) and table_column):
            raise EvalGuardInputError(
                f"input '{input_name}': 'columns' maps check column -> table column (both non-empty text); "
                f"entry {check_column!r:.40} is {table_column!r:.60}",
                input_name=input_name,
            )
    fed: dict[str, list[str]] = {}
    for check_column, table_column in mapping.items():
        fed.setdefault(table_column, []).append(check_column)
    shared = {table: checks for table, checks in fed.items() if len(checks) > 1}
    if shared:
        table_column, check_columns = next(iter(sorted(shared.items())))
        raise EvalGuardInputError(
            f"input '{input_name}': 'columns' maps {sorted(check_columns)} all to table column "
            f"'{table_column}'; each table column may feed one check column",
            input_name=input_name,
            column=table_column,
        )
    return dict(mapping)


def spec_column_mapping(input_name: str, spec: Mapping[str, Any]) -> dict[str, str]:
    """The `columns` rename mapping of an aggregation spec (empty when it has none).

    `{"stream": "counts", "columns": [...]}` is the one spec whose `columns` is an argument of the
    aggregation (the columns to count by), so a list there is left to the aggregation; a mapping is
    always a JSON object, so the two never read as each other."""
    columns = spec.get("columns")
    if columns is None or (spec.get("stream") == "counts" and isinstance(columns, list)):
        return {}
    return check_column_mapping(input_name, columns)


def is_mapped_table(value: Any) -> bool:
    """A `{"path": ...}` / `{"frame": ...}` input (not an aggregation spec, which has its own path)."""
    return isinstance(value, dict) and any(key in value for key in SOURCES) and "stream" not in value


def check_mapped_table(input_name: str, value: dict[str, Any]) -> dict[str, str]:
    """Refuse a malformed `{"path"|"frame": ..., "columns": {...}}` input; return its mapping."""
    named = [key for key in SOURCES if key in value]
    unknown = sorted(set(value) - {*SOURCES, "columns"})
    if len(named) != 1 or unknown:
        raise EvalGuardInputError(
            f"input '{input_name}': a table input takes one of {list(SOURCES)} and 'columns'; got keys {sorted(value)}",
            input_name=input_name,
        )
    source = value[named[0]]
    if named[0] == "path" and not (isinstance(source, (str, os.PathLike)) and str(source).strip()):
        raise EvalGuardInputError(
            f"input '{input_name}': 'path' must be a path or s3:// URI, got {source!r:.80}", input_name=input_name
        )
    return check_column_mapping(input_name, value.get("columns") or {})


def mapped_view(stored: list[str], mapping: Mapping[str, str], input_name: str) -> list[str]:
    """The table's columns as the check sees them: each mapped table column under its check name.

    A table column that the mapping names but the table lacks is refused, naming the column and
    what the table has. A table column that already bears a mapped check name is hidden behind
    the mapped one (the mapping says which column is meant)."""
    missing = [table for table in mapping.values() if table not in stored]
    if missing:
        raise EvalGuardInputError(
            f"input '{input_name}': 'columns' maps to column(s) {missing}, which the table lacks; it has {stored[:20]}",
            input_name=input_name,
            column=missing[0],
        )
    check_name = {table: check for check, table in mapping.items()}
    return [check_name.get(name, name) for name in stored if name in check_name or name not in mapping]


def stored_names(columns: list[str], mapping: Mapping[str, str]) -> list[str]:
    """The table's names for the columns a check asks for."""
    return [mapping.get(column, column) for column in columns]
