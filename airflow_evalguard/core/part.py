"""What one part of a check hands back: a value, never a list it was handed.

A check is a few parts (judge_drift: pin, parse failures, anchors, dual window, human agreement;
sampling_window: one mix test per dimension, coverage, weights). Each part returns a `Part`; the
one composer (`core.compose`) puts every part's gated effects and tests into one Holm family,
applies the gate rule and decides the verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict

Describe = Callable[[Verdict], str]


@dataclass(frozen=True)
class GatedEffect:
    """A degradation judged by the gate rule after Holm across all of the check's family.

    `value`, `ci_low` and `ci_high` are in degradation units (larger is worse); `p_value` tests
    "no degradation". Without a p-value the effect is significant when `ci_low > 0` (the part then
    owns the multiplicity of that interval). `describe(verdict)` words the finding once the verdict
    is known; `report=False` leaves the finding to the part (it reads the verdict from the
    composed family). `p_metric` names the metric that records the Holm-adjusted p-value.
    """

    code: str
    value: float
    ci_high: float | None
    p_value: float | None
    warn_at: float
    fail_at: float
    describe: Describe
    slice: str | None = None
    ci_low: float | None = None
    unsettled_code: str | None = None  # the INCONCLUSIVE finding's code; default `<code>_UNSETTLED`
    report: bool = True
    p_metric: str | None = None


@dataclass(frozen=True)
class TestedClaim:
    """A validity test in the same Holm family: significant gives `if_significant`, else `otherwise`.

    E.g. sampling_window's coverage shortfall: significant -> FAIL, not significant -> INCONCLUSIVE.
    """

    __test__ = False  # a result type, not a pytest test class (its name starts with "Test")

    code: str
    p_value: float
    if_significant: Verdict
    describe: Describe
    otherwise: Verdict = Verdict.PASS
    slice: str | None = None
    report: bool = True
    p_metric: str | None = None


@dataclass(frozen=True)
class Part:
    metrics: Mapping[str, Metric] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    gated: tuple[GatedEffect, ...] = ()
    tested: tuple[TestedClaim, ...] = ()
    validity: tuple[Verdict, ...] = ()  # verdicts decided by the part itself (e.g. a changed judge pin)
    slices: tuple[SliceResult, ...] = ()  # per-slice metrics; the composer sets each slice's verdict
    slice_validity: Mapping[str, Verdict] = field(default_factory=dict)  # a floor on a slice's verdict
    headline: tuple[str, ...] = ()  # sentences for the summary, most important first
    # Slices the part could not settle although their verdict is not INCONCLUSIVE (one outcome of a
    # FAILing category): the composer lists them in UNDERPOWERED_SLICE beside the INCONCLUSIVE ones.
    unsettled: tuple[str, ...] = ()
