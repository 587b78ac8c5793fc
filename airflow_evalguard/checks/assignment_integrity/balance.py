"""Covariate balance: is any arm's covariate mix significantly beyond the SMD bands?

Each arm is compared with the first by a standardized mean difference (numeric covariates from
their moments; categorical ones by the largest SMD of a level's 0/1 indicator). A row is flagged
only when its |SMD| is significantly beyond a band (one-sided z test): at small n a fixed cutoff
fires by chance. The warn band and the fail band are two Holm families, each across every
(covariate, arm) row, judged by `core.compose.judge_members` exactly as before the move to the core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scipy.special import ndtri

from airflow_evalguard.checks.assignment_integrity.arms import Arms
from airflow_evalguard.checks.assignment_integrity.words import describe_claim, describe_leak, describe_shift
from airflow_evalguard.core.compose import Judged, judge_members
from airflow_evalguard.core.number_words import p_value
from airflow_evalguard.core.part import Part, TestedClaim
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.stats.balance import beyond_band_p, smd_binary, smd_from_moments, smd_se
from airflow_evalguard.verdicts import Verdict, worst

CODE = "COVARIATE_IMBALANCE"


@dataclass(frozen=True)
class Row:
    """One covariate in one arm against the first arm."""

    covariate: str
    arm: int
    smd: float
    se: float
    method: str  # "smd" (numeric) or "max_level_smd" (categorical)


@dataclass(frozen=True)
class Balance:
    part: Part  # headline: how each imbalanced covariate differs, for the summary
    methods: dict[str, str]  # covariate -> SMD method, echoed as smd_method


def smd_row(arms: Arms, covariate: str, arm: int) -> Row:
    if covariate in arms.moments:
        smd, method = smd_from_moments(arms.moments[covariate][0], arms.moments[covariate][arm]), "smd"
    else:
        counts, smd = arms.counts, 0.0
        for level in arms.fields[covariate].counts:  # each level as a 0/1 indicator
            level_smd = smd_binary(level[0] / counts[0], level[arm] / counts[arm])
            smd = level_smd if abs(level_smd) > abs(smd) else smd
        method = "max_level_smd"
    return Row(covariate, arm, smd, smd_se(smd, int(arms.counts[0]), int(arms.counts[arm])), method)


def band_family(rows: list[Row], band: float, verdict: Verdict, alpha: float) -> list[Judged]:
    """One Holm family: is each row's |SMD| significantly beyond `band`?"""
    members = [
        TestedClaim(CODE, beyond_band_p(row.smd, row.se, band), verdict, describe_claim(f"{row.covariate} SMD"))
        for row in rows
    ]
    return judge_members(members, alpha)


def balance_part(arms: Arms, params: dict[str, Any]) -> Balance:
    rows = [smd_row(arms, covariate, arm) for covariate in params["covariates"] for arm in range(1, len(arms.labels))]
    warned = band_family(rows, params["smd_warn"], Verdict.WARN, params["alpha"])
    failed = band_family(rows, params["smd_fail"], Verdict.FAIL, params["alpha"])
    z_half = ndtri(1 - params["alpha"] / 2)  # the two-sided interval's half width in SEs
    metrics: dict[str, Metric] = {}
    findings: list[Finding] = []
    validity: list[Verdict] = []
    stories: list[str] = []
    methods: dict[str, str] = {}
    for row, warn, fail in zip(rows, warned, failed, strict=True):
        key = row.covariate if len(arms.labels) == 2 else f"{row.covariate}:{arms.labels[row.arm]}"
        low, high = row.smd - z_half * row.se, row.smd + z_half * row.se
        metrics[f"smd[{key}]"] = Metric(row.smd, low, high, n=arms.n)
        methods[row.covariate] = row.method
        verdict = worst([warn.verdict, fail.verdict])
        if verdict is Verdict.PASS:
            continue
        band, judged = (params["smd_fail"], fail) if verdict is Verdict.FAIL else (params["smd_warn"], warn)
        story = _story(arms, row)
        findings.append(
            Finding(
                verdict.value.lower(),
                CODE,
                f"{row.covariate}: SMD {row.smd:+.2f} (CI {low:+.2f} to {high:+.2f}) is beyond {band} "
                f"(p {p_value(judged.p_adjusted)} after Holm); {story}",
            )
        )
        validity.append(verdict)
        stories.append(story)
    part = Part(metrics, tuple(findings), validity=tuple(validity), headline=tuple(stories))
    return Balance(part, methods)


def _story(arms: Arms, row: Row) -> str:
    """How the arm differs: its mean (numeric) or the level it over-holds (categorical)."""
    if row.covariate in arms.moments:
        moments = arms.moments[row.covariate]
        return describe_shift(row.covariate, moments[0], moments[row.arm], arms.labels[0], arms.labels[row.arm])
    return describe_leak(row.covariate, arms.fields[row.covariate], arms.labels)
