"""Checks: one module per check, pure functions, no Airflow import.

`run_check(name, inputs, params)` is the one entry point the operators, the CLI and notebooks use.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import logging
import time
from typing import Any

from airflow_evalguard import __version__
from airflow_evalguard.checks.spec import CheckSpec
from airflow_evalguard.checks.unprocessable import refusing_unprocessable_inputs
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.result import CheckResult

log = logging.getLogger(__name__)

# name -> module; modules load on first use so listing names costs nothing.
REGISTRY: dict[str, str] = {
    "assignment_integrity": "airflow_evalguard.checks.assignment_integrity",
    "embedding_drift": "airflow_evalguard.checks.embedding_drift",
    "judge_drift": "airflow_evalguard.checks.judge_drift",
    "feedback_provenance": "airflow_evalguard.checks.feedback_provenance",
    "labeler_agreement": "airflow_evalguard.checks.labeler_agreement",
    "latency_tail": "airflow_evalguard.checks.latency_tail",
    "output_contract": "airflow_evalguard.checks.output_contract",
    "refusal_regression": "airflow_evalguard.checks.refusal_regression",
    "rubric_drift": "airflow_evalguard.checks.rubric_drift",
    "sampling_window": "airflow_evalguard.checks.sampling_window",
    "slice_retention": "airflow_evalguard.checks.slice_retention",
}


def check_names() -> list[str]:
    return sorted(REGISTRY)


def get_check(name: str) -> CheckSpec:
    if name not in REGISTRY:
        raise EvalGuardInputError(f"unknown check {name!r}; known checks: {check_names()}")
    return importlib.import_module(REGISTRY[name]).SPEC


def run_check(
    name: str,
    inputs: dict[str, Any],
    params: dict[str, Any] | None = None,
    *,
    aws_conn_id: str | None = "aws_default",
) -> CheckResult:
    """Run check `name` on `inputs` (name -> DataFrame, local path or s3:// URI).

    Raises EvalGuardInputError for bad input or params (unknown params are an error, never
    ignored). The returned result echoes every parameter used, defaults included.
    """
    from airflow_evalguard.io import TableInput

    spec = get_check(name)
    spec.check_inputs(inputs)
    resolved = spec.resolve_params(params)
    tables = {n: TableInput(n, src, aws_conn_id=aws_conn_id) for n, src in inputs.items() if src is not None}
    started = _dt.datetime.now(_dt.timezone.utc)
    t0 = time.perf_counter()
    log.info("check %s started on inputs %s", name, sorted(tables))
    with refusing_unprocessable_inputs(name):
        result: CheckResult = spec.run(tables, resolved)
    result.check = name
    result.params = {**resolved, **result.params}
    result.inputs = [t.fingerprint() for t in tables.values()]
    result.evalguard_version = __version__
    result.started_at = started.isoformat()
    result.duration_s = time.perf_counter() - t0
    log.info("check %s: %s in %.2f s (%s)", name, result.verdict.value, result.duration_s,
             ", ".join(f"{i.name}={i.rows} rows" for i in result.inputs))
    return result


__all__ = ["REGISTRY", "check_names", "get_check", "run_check"]
