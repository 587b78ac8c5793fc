"""The condition SampleCoverageSensor waits for: the eval sample accumulated so far covers the
production mix (the sampling_window check's `coverage` and `hours_covered` reach their targets).

A sample file that does not exist yet is "not yet", never an error: the cron that fills it may
not have run. Bad params or columns are errors: waiting would not fix them.
"""

from __future__ import annotations

from typing import Any


def sample_covers_mix(
    sample: str,
    reference: str,
    check_params: dict[str, Any],
    min_coverage: float,
    min_hours_covered: int | None,
    aws_conn_id: str | None = "aws_default",
) -> tuple[bool, dict[str, Any], None]:
    # The check (pandas, scipy) loads in the triggerer only when the condition is first evaluated.
    from airflow_evalguard.exceptions import EvalGuardInputError
    from airflow_evalguard.hooks.s3_reader import S3HookReader
    from airflow_evalguard.run import run_check

    params = {"n_boot": 200, **check_params, "min_coverage": min_coverage}
    try:
        result = run_check(
            "sampling_window", {"sample": sample, "reference": reference}, params, reader=S3HookReader(aws_conn_id)
        )
    except EvalGuardInputError as exc:
        if "no such" in str(exc) and "'sample'" in str(exc):
            return False, {"reason": f"no sample yet at {sample}"}, None
        raise
    metrics = {
        name: _number(result.metrics[name].value, name)
        for name in ("coverage", "hours_covered", "hours_in_reference", "sample_rows")
    }
    coverage, hours = metrics["coverage"], int(metrics["hours_covered"])
    need_hours = int(metrics["hours_in_reference"]) if min_hours_covered is None else int(min_hours_covered)
    sample_rows = int(metrics["sample_rows"])
    payload = {
        "coverage": coverage,
        "hours_covered": hours,
        "sample_rows": sample_rows,
        "reason": f"coverage {coverage:.1%} (target {min_coverage:.0%}), hours covered {hours}/{need_hours}, "
        f"{sample_rows} sample rows",
    }
    return coverage >= min_coverage and hours >= need_hours, payload, None


def _number(value: float | None, name: str) -> float:
    if value is None:  # the check always reports these; a missing one is a bug, not "not yet"
        raise TypeError(f"sampling_window reported no {name}")
    return float(value)
