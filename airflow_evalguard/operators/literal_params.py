"""Parse-time validation of a gate's literal check parameters.

A bad literal (`fail_at=2`, `n_boot="many"`, a misspelt name) used to surface in a worker when
the task ran, possibly hours later; the DAG file now fails to import with the reason. Only the
check's light spec is read (no pandas), so parsing stays cheap. A value Airflow fills in at run
time is skipped: a Jinja template string, anything holding one, and objects such as XComArg.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow_evalguard.columns.mapping import check_mapped_table, is_mapped_table, spec_column_mapping
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.forms import check_harness_form, is_harness_input, refuse_other_checks_preset

_PLAIN_SCALARS = (str, bytes, int, float, bool, type(None))


def resolved_at_run_time(value: Any) -> bool:
    """True for a Jinja template string ("{{"), a list/dict holding one (Airflow renders nested
    values), or an object that is not plain data (XComArg, a Param): only the worker knows its value."""
    pending, seen = [value], set()
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "{{" in item:
                return True
        elif isinstance(item, (list, tuple, set, frozenset, dict)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            pending.extend(item.values() if isinstance(item, dict) else item)
        elif not isinstance(item, _PLAIN_SCALARS):
            return True
    return False


def validate_literal_params(check: str, check_params: Mapping[str, Any]) -> None:
    """Refuse an unknown check, an unknown parameter name, or a literal value of the wrong type or
    out of bounds, with the message the run would give. Raises EvalGuardInputError (a ValueError)."""
    # The registry and the check's spec load with the first gate a DAG file builds, not with
    # `import airflow_evalguard.operators` (benchmarks/import_overhead.py measures both).
    from airflow_evalguard.checks import get_check

    spec = get_check(check)
    unknown = sorted(set(check_params) - set(spec.params))
    if unknown:
        raise EvalGuardInputError(f"check '{check}': unknown param(s) {unknown}; it takes {sorted(spec.params)}")
    for name, value in check_params.items():
        if not resolved_at_run_time(value):
            spec.params[name].validate(name, value)


def validate_literal_inputs(inputs: Mapping[str, Any], check: str | None = None) -> None:
    """Refuse a literal input of the wrong shape: a harness log (`{"inspect_log": ...}` with an
    unknown key, no `results` beside `lm_eval_samples`, ...), a table `{"path": ..., "columns":
    {...}}` whose mapping is not text -> text or feeds two check columns from one table column,
    or an aggregation spec's `columns`. Only the shape: no file is read."""
    for name, value in inputs.items():
        if not isinstance(value, dict) or resolved_at_run_time(value):
            continue
        if is_harness_input(value):
            check_harness_form(name, value)
            refuse_other_checks_preset(name, value, check)
        elif is_mapped_table(value):
            check_mapped_table(name, value)
        else:
            spec_column_mapping(name, value)
