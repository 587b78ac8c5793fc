"""What a check returns: its decision and the evidence for it, before the shell adds provenance.

`run_check` builds the immutable `CheckResult` once from a `Decision` (check name, every
parameter used, input fingerprints, version, times); the publish layer adds artifact URIs by
making a new result, never by changing one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from airflow_evalguard.core.compose import Composed
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    summary: str
    metrics: Mapping[str, Metric] = field(default_factory=dict)
    slices: tuple[SliceResult, ...] = ()
    findings: tuple[Finding, ...] = ()
    method: Mapping[str, Any] = field(default_factory=dict)  # how it decided: echoed into result params
    evidence: Any = None  # a pandas DataFrame of the rows behind the findings, or None
    tables: Mapping[str, Any] = field(default_factory=dict)  # extra row-level outputs (DataFrames)

    @classmethod
    def from_composed(cls, composed: Composed, summary: str, **extra: Any) -> Decision:
        return cls(composed.verdict, summary, composed.metrics, composed.slices, composed.findings, **extra)
