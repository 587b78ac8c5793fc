"""What each judge_drift part hands back: metrics, findings, gated effects and validity verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field

from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict


@dataclass
class GatedEffect:
    """A degradation judged by the gate rule after Holm across all of the check's gated effects.

    `value` and `ci_high` are in degradation units (larger is worse); `p_value` tests "no
    degradation". `describe(verdict)` words the finding once the verdict is known.
    """

    name: str
    value: float
    ci_high: float
    p_value: float
    warn_at: float
    fail_at: float
    code: str
    describe: object  # Callable[[Verdict], str]
    slice: str | None = None


@dataclass
class PartResult:
    metrics: dict[str, Metric] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    gated: list[GatedEffect] = field(default_factory=list)
    validity: list[Verdict] = field(default_factory=list)  # tests of validity fail directly
    slices: list[SliceResult] = field(default_factory=list)
    headline: list[str] = field(default_factory=list)  # sentences for the summary, most important first
