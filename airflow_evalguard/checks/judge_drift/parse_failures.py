"""Judge outputs that failed to parse (or a judge refusing to grade) are counted, never dropped."""

from __future__ import annotations

import numpy as np

from airflow_evalguard.checks.common.settle import sized, zero_failures_size
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.paired import wilson_interval
from airflow_evalguard.verdicts import Verdict


def parse_part(failures: dict[str, tuple[int, int]], *, warn_at: float, fail_at: float, alpha: float) -> Part:
    """`failures`: input name -> (failed judgments, all judgments)."""
    failed = sum(count for count, _ in failures.values())
    total = sum(judged for _, judged in failures.values())
    if total == 0:
        return Part()
    low, high = wilson_interval(np.array([failed]), np.array([total]), alpha)
    rate = failed / total
    upper = float(high[0])
    metrics = {"judge_parse_failure_rate": Metric(rate, float(low[0]), upper, n=total)}
    for name, (count, judged) in failures.items():
        metrics[f"judge_parse_failures[{name}]"] = Metric(count, n=judged)
    detail = ", ".join(f"{name} {count:,}/{judged:,}" for name, (count, judged) in failures.items())

    def describe(verdict: Verdict) -> str:
        if verdict is Verdict.INCONCLUSIVE:
            return (
                f"no parse failures in {total:,} judgments, too few to rule out a failure rate of {fail_at:.0%} "
                f"(upper bound {upper:.1%})"
            )
        return f"{failed:,} of {total:,} judgments ({rate:.1%}) produced no usable verdict ({detail})"

    # The rate itself is the degradation; "significant" = its interval excludes 0 (any failures).
    effect = GatedEffect(
        code="JUDGE_PARSE_FAILURES",
        value=rate,
        ci_high=upper,
        p_value=0.0 if failed else 1.0,
        warn_at=warn_at,
        fail_at=fail_at,
        describe=describe,
    )
    sized_effect = sized(effect, zero_failures_size(fail_at, alpha=alpha, unit="judgments"))
    return Part(metrics=metrics, gated=(sized_effect,))
