"""Does the sample cover production's strata well enough to re-weight it?

A dimension's coverage is the share of reference traffic in levels with at least
`min_count_per_stratum` sample rows. Below `min_coverage` the shortfall is tested against what a
representative sample of the same size would show (Monte Carlo): in the check's one Holm family, a
significant shortfall FAILs and an insignificant one is INCONCLUSIVE (a representative sample
this small would fall short too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from airflow_evalguard.checks.sampling_window.read import Strata
from airflow_evalguard.checks.sampling_window.words import describe_coverage
from airflow_evalguard.core.part import Part, TestedClaim
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.coverage import coverage, coverage_shortfall_p
from airflow_evalguard.stats.distances import shares
from airflow_evalguard.verdicts import Verdict

CODE = "LOW_COVERAGE"


@dataclass(frozen=True)
class CoverageTest:
    """One dimension's coverage and, where it falls short, the test of the shortfall."""

    name: str
    coverage: float
    claim: TestedClaim | None  # None: coverage reaches min_coverage, nothing to test
    thin: list[int]  # levels with traffic but too few sample rows, most traffic first
    part: Part


def coverage_part(strata: Strata, index: int, params: dict[str, Any]) -> CoverageTest:
    """The coverage of dimension `index` (its Monte Carlo test is seeded with seed + index)."""
    name, n, least = strata.dims[index].name, strata.n, params["min_count_per_stratum"]
    sample, reference = strata.sample_margins[index], strata.reference_margins[index]
    covered = coverage(sample, reference, least)
    claim = None
    if covered < params["min_coverage"]:
        p_value = coverage_shortfall_p(
            covered, n, reference, least, n_sim=params["n_boot"], seed=params["seed"] + index
        )
        claim = TestedClaim(
            code=CODE,
            p_value=p_value,
            if_significant=Verdict.FAIL,
            describe=describe_coverage(name, covered),
            otherwise=Verdict.INCONCLUSIVE,
            report=False,  # the finding names the thin strata: words.coverage_findings writes it
        )
    part = Part(metrics={f"coverage[{name}]": Metric(covered, n=n)}, tested=(claim,) if claim else ())
    return CoverageTest(name, covered, claim, _thin_strata(sample, reference, least), part)


def overall_part(strata: Strata, tests: list[CoverageTest]) -> Part:
    """The worst dimension's coverage, and how many hours of the day each input holds."""
    return Part(
        metrics={
            "coverage": Metric(min(test.coverage for test in tests), n=strata.n),
            # hour of day is always dimension 0
            "hours_covered": Metric(int(np.sum(strata.sample_margins[0] > 0))),
            "hours_in_reference": Metric(int(np.sum(strata.reference_margins[0] > 0))),
        }
    )


def _thin_strata(sample: np.ndarray, reference: np.ndarray, least: int) -> list[int]:
    """Levels with traffic but fewer than `least` sample rows, most traffic first."""
    return [int(k) for k in np.argsort(-shares(reference)) if sample[k] < least and reference[k] > 0]
