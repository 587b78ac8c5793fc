"""Judge outputs that failed to parse (or a judge refusing to grade) are counted, never dropped."""

from __future__ import annotations

import numpy as np

from airflow_evalguard.checks.judge.part import GatedEffect, PartResult
from airflow_evalguard.result import Metric
from airflow_evalguard.verdicts import Verdict


def parse_part(failures: dict[str, tuple[int, int]], *, warn_at: float, fail_at: float, alpha: float) -> PartResult:
    """`failures`: input name -> (failed judgments, all judgments)."""
    from airflow_evalguard.stats.paired import wilson_interval

    part = PartResult()
    failed = sum(f for f, _ in failures.values())
    total = sum(n for _, n in failures.values())
    if total == 0:
        return part
    lo, hi = wilson_interval(np.array([failed]), np.array([total]), alpha)
    rate = failed / total
    part.metrics["judge_parse_failure_rate"] = Metric(rate, float(lo[0]), float(hi[0]), n=total)
    for name, (f, n) in failures.items():
        part.metrics[f"judge_parse_failures[{name}]"] = Metric(f, n=n)
    detail = ", ".join(f"{name} {f:,}/{n:,}" for name, (f, n) in failures.items())

    def describe(verdict: Verdict) -> str:
        if verdict is Verdict.INCONCLUSIVE:
            return (f"no parse failures in {total:,} judgments, too few to rule out a failure rate of {fail_at:.0%} "
                    f"(upper bound {float(hi[0]):.1%})")
        return f"{failed:,} of {total:,} judgments ({rate:.1%}) produced no usable verdict ({detail})"

    # The rate itself is the degradation; "significant" = its interval excludes 0 (any failures).
    part.gated.append(GatedEffect("judge_parse_failure_rate", rate, float(hi[0]), 0.0 if failed else 1.0,
                                  warn_at, fail_at, "JUDGE_PARSE_FAILURES", describe))
    return part
