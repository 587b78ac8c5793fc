"""Was every slice the team declared load-bearing measured and settled? A declared slice without
examples FAILs (REQUIRED_SLICE_MISSING); a declared slice left unsettled makes the result
INCONCLUSIVE."""

from __future__ import annotations

from airflow_evalguard.checks.slice_retention.read import Required
from airflow_evalguard.checks.slice_retention.slices import SliceFamily
from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict


def missing(declared: list[Required], family: SliceFamily) -> list[str]:
    """The declared slices the evaluation has no examples of."""
    present = {s.slice for s in family.part.slices}
    return [item.slice for item in declared if item.slice not in present]


def part(declared: list[Required], family: SliceFamily) -> Part:
    findings = tuple(
        Finding(
            "fail", "REQUIRED_SLICE_MISSING", f"required slice {name} has no examples: the eval never measured it", name
        )
        for name in missing(declared, family)
    )
    # A declared slice that is unsettled holds the whole result at INCONCLUSIVE. It is a validity
    # verdict here rather than compose's `required_slices`, which would leave it out of the
    # UNDERPOWERED_SLICE list this check has always named it in.
    names = {item.slice for item in declared}
    unsettled = tuple(Verdict.INCONCLUSIVE for name in family.unsettled if name in names)
    return Part(findings=findings, validity=(Verdict.FAIL,) * len(findings) + unsettled)
