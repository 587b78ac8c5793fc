"""What `evalguard run --input NAME=VALUE` accepts, and which files an input reads.

A value is a local path or s3:// URI, or (starting with '{') JSON: an aggregation spec
(``{"sql": ...}`` / ``{"stream": ...}``), a table with a `columns` mapping
(``{"path": ..., "columns": {"example_id": "order_id"}}``) or a harness log (``{"inspect_log": ...}``,
``{"lm_eval_samples": ..., "results": ...}``, ``{"promptfoo_results": ...}``), whose shape is
checked here, before anything is read. Errors are EvalGuardInputError: exit 2, one line.
"""

from __future__ import annotations

import json
from typing import Any

from airflow_evalguard.columns.mapping import check_mapped_table, is_mapped_table, spec_column_mapping
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.forms import check_harness_form, harness_paths, is_harness_input


def input_value(name: str, value: str) -> Any:
    if not value.lstrip().startswith("{"):
        return value
    try:
        spec = json.loads(value)
    except json.JSONDecodeError as exc:
        raise EvalGuardInputError(f"--input {name}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if is_harness_input(spec):
        check_harness_form(name, spec)
        return spec
    if is_mapped_table(spec) and "frame" not in spec:
        check_mapped_table(name, spec)
        return spec
    if not isinstance(spec, dict) or not ("sql" in spec or "stream" in spec):
        raise EvalGuardInputError(
            f'--input {name}: a JSON input must be an aggregation spec with "sql" or "stream", '
            'or a harness log ("inspect_log", "lm_eval_samples" with "results", "promptfoo_results"), '
            'or a table {"path": ..., "columns": {...}}'
        )
    spec_column_mapping(name, spec)
    return spec


def input_paths(value: Any) -> list[str]:
    """Files an input reads: its path, the path/database an aggregation spec names, a harness log's files."""
    if isinstance(value, str):
        return [value]
    if is_harness_input(value):
        return harness_paths(value)
    if isinstance(value, dict):
        return [str(value[key]) for key in ("path", "database") if isinstance(value.get(key), str)]
    return []
