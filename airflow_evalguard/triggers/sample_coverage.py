"""The condition SampleCoverageSensor waits for: the eval sample accumulated so far covers the
production mix (the sampling_window check's `coverage` and `hours_covered` reach their targets).

A sample file that does not exist yet is "not yet", never an error: the cron that fills it may
not have run. Bad params or columns are errors: waiting would not fix them.
"""

from __future__ import annotations


def sample_covers_mix(sample: str, reference: str, check_params: dict, min_coverage: float,
                      min_hours_covered: int | None, aws_conn_id: str | None = "aws_default"):
    from airflow_evalguard.run import run_check
    from airflow_evalguard.exceptions import EvalGuardInputError

    params = {"n_boot": 200, **check_params, "min_coverage": min_coverage}
    try:
        result = run_check("sampling_window", {"sample": sample, "reference": reference}, params,
                           aws_conn_id=aws_conn_id)
    except EvalGuardInputError as exc:
        if "no such" in str(exc) and "'sample'" in str(exc):
            return False, {"reason": f"no sample yet at {sample}"}, None
        raise
    m = result.metrics
    coverage, hours = m["coverage"].value, int(m["hours_covered"].value)
    need_hours = int(m["hours_in_reference"].value) if min_hours_covered is None else int(min_hours_covered)
    payload = {"coverage": coverage, "hours_covered": hours, "sample_rows": int(m["sample_rows"].value),
               "reason": f"coverage {coverage:.1%} (target {min_coverage:.0%}), hours covered {hours}/{need_hours}, "
                         f"{int(m['sample_rows'].value)} sample rows"}
    return coverage >= min_coverage and hours >= need_hours, payload, None
