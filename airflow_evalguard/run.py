"""Run one check: the one entry point the operators, the CLI and notebooks use.

`run_check` validates the inputs and parameters against the check's spec, runs the check's
`decide` function and builds the immutable `CheckResult` once, with the provenance the check does
not know: its name, every parameter used (defaults included), input fingerprints, version, times.
"""

from __future__ import annotations

import datetime as _dt
import logging
import time
from typing import Any

from airflow_evalguard import __version__
from airflow_evalguard.checks import get_check
from airflow_evalguard.checks.unprocessable import refusing_unprocessable_inputs
from airflow_evalguard.contracts.versions import LastVersion
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.core.sources import InputReader
from airflow_evalguard.harnesses.gating import after_check, before_check
from airflow_evalguard.io.mapped import table_input
from airflow_evalguard.result import CheckResult

log = logging.getLogger(__name__)

HANDED_IN = (LastVersion,)  # the values registries.before_check hands in beside the inputs


def run_check(
    name: str,
    inputs: dict[str, Any],
    params: dict[str, Any] | None = None,
    *,
    reader: InputReader | None = None,
) -> CheckResult:
    """Run check `name` on `inputs` (name -> DataFrame, local path or s3:// URI, or either as
    `{"path"|"frame": ..., "columns": {check column: table column}}`).

    `reader` reads what a path or URI names: the shell hands it in (an S3HookReader in a worker;
    None is a LocalReader, which refuses s3://). The check never sees a connection.

    Raises EvalGuardInputError for bad input or params (unknown params are an error, never
    ignored). The returned result echoes every parameter used, defaults included.
    """
    spec = get_check(name)
    # What a registry handed in (registries.before_check) goes to the check as it is: not a table,
    # not one of the check's declared inputs, never fingerprinted.
    handed = {n: value for n, value in inputs.items() if isinstance(value, HANDED_IN)}
    given = {n: src for n, src in inputs.items() if n not in handed}
    spec.check_inputs(given)
    resolved = spec.resolve_params(params)
    # Inputs read from harness logs: their sample sets compared, errored samples counted (harnesses.gating).
    given, harness_params = before_check(given, resolved, name)
    tables = {n: table_input(n, src, reader) for n, src in given.items() if src is not None}
    for table in tables.values():  # a missing column's error names the parameter that would name it
        table.column_params = spec.column_params(resolved)
    started = _dt.datetime.now(_dt.UTC)
    t0 = time.perf_counter()
    log.info("check %s started on inputs %s", name, sorted(tables))
    with refusing_unprocessable_inputs(name):
        decided = spec.decider()({**tables, **handed}, resolved)
    if not isinstance(decided, Decision):
        raise TypeError(f"check {name!r} returned {type(decided).__name__}, not a Decision")
    decided = after_check(decided, given, harness_params)
    result = CheckResult(
        check=name,
        verdict=decided.verdict,
        summary=decided.summary,
        metrics=dict(decided.metrics),
        slices=list(decided.slices),
        findings=list(decided.findings),
        params={**resolved, **decided.method, **_input_sources(given)},
        inputs=[t.fingerprint() for t in tables.values()],
        evalguard_version=__version__,
        started_at=started.isoformat(),
        duration_s=time.perf_counter() - t0,
        evidence=decided.evidence,
        tables=dict(decided.tables),
    )
    log.info(
        "check %s: %s in %.2f s (%s)",
        name,
        result.verdict.value,
        result.duration_s,
        ", ".join(f"{i.name}={i.rows} rows" for i in result.inputs),
    )
    return result


def _input_sources(inputs: dict[str, Any]) -> dict[str, Any]:
    """How each aggregated input was computed (form, dialect, methods and whether they are exact),
    as sources.specs and SqlSource record it on the table's `attrs`."""
    sources = {
        name: dict(attrs["evalguard_source"])
        for name, value in inputs.items()
        if isinstance(attrs := getattr(value, "attrs", None), dict) and "evalguard_source" in attrs
    }
    return {"input_sources": sources} if sources else {}


__all__ = ["run_check"]
