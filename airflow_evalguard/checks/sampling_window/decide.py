"""sampling_window's decision: read the strata, test each dimension's mix and coverage in one Holm
family, weight the sample, and word the result."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from airflow_evalguard.checks.sampling_window.coverage import CoverageTest, coverage_part, overall_part
from airflow_evalguard.checks.sampling_window.mix import MixTest, holm_metric, mix_part
from airflow_evalguard.checks.sampling_window.needed import rows_needed
from airflow_evalguard.checks.sampling_window.read import Strata, read_strata, totals_part, validate
from airflow_evalguard.checks.sampling_window.weights import Weighting, evidence, weights_part, weights_table
from airflow_evalguard.checks.sampling_window.words import (
    coverage_finding,
    insufficient_finding,
    mix_finding,
    summary,
)
from airflow_evalguard.core.compose import Judged, compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    user_dims = validate(params)
    strata = read_strata(tables, params, user_dims)
    mixes = [mix_part(strata, i, params) for i in range(len(strata.dims))]
    coverages = [coverage_part(strata, i, params) for i in range(len(strata.dims))]
    weighting = weights_part(strata, params)
    # One Holm family: every dimension's mix test and every coverage shortfall test. A dimension's
    # parts sit side by side so its metrics read together (Holm does not depend on the order).
    parts = [part for mix, cov in zip(mixes, coverages, strict=True) for part in (mix.part, cov.part)]
    parts += [overall_part(strata, coverages), weighting.part, totals_part(strata)]
    composed = compose(parts, alpha=params["alpha"])
    judged = {id(item.member): item for item in composed.judged}
    mix_judged = [judged[id(mix.effect)] for mix in mixes]
    coverage_verdicts = [judged[id(cov.claim)].verdict if cov.claim else Verdict.PASS for cov in coverages]

    metrics = dict(composed.metrics)
    for mix, item in zip(mixes, mix_judged, strict=True):
        # the composer records the adjusted p-value; the metric also says how many rows it rests on
        metrics[holm_metric(mix.name)] = Metric(item.p_adjusted, n=strata.n)
    findings, reasons = _findings(strata, mixes, mix_judged, coverages, coverage_verdicts, params)
    size = None
    if composed.verdict is Verdict.INCONCLUSIVE:
        size, unsettled = _unsettled(strata, mix_judged, coverage_verdicts, params)
        if size is not None:
            metrics["n_required"] = Metric(size.n)
            findings.append(insufficient_finding(strata.n, params["fail_at"], unsettled, size))
    words = summary(
        composed.verdict,
        reasons,
        strata.n,
        size,
        [(mix.name, mix.distances.tvd) for mix in mixes],
        min(cov.coverage for cov in coverages),
        weighting.ess,
        params["min_coverage"],
    )
    settled = replace(composed, metrics=metrics, findings=(*findings, *composed.findings))
    return Decision.from_composed(
        settled,
        words,
        method=_method(strata, mixes, weighting, params),
        evidence=evidence(strata, weighting.cell_weights),
        tables={"weights": weights_table(strata, weighting, params["id_column"])},
    )


def _findings(
    strata: Strata,
    mixes: list[MixTest],
    mix_judged: list[Judged],
    coverages: list[CoverageTest],
    coverage_verdicts: list[Verdict],
    params: dict[str, Any],
) -> tuple[list[Finding], list[str]]:
    """The mix findings of every dimension, then the coverage ones; the summary's reasons likewise."""
    findings: list[Finding] = []
    reasons: list[str] = []
    for i, (mix, item) in enumerate(zip(mixes, mix_judged, strict=True)):
        margins = (strata.sample_margins[i], strata.reference_margins[i])
        finding, reason = mix_finding(strata.dims[i], margins, mix.distances, item.verdict, item.p_adjusted, params)
        findings += [finding] if finding else []
        reasons += [reason] if reason else []
    for i, (cov, verdict) in enumerate(zip(coverages, coverage_verdicts, strict=True)):
        if cov.claim is None:
            continue
        margins = (strata.sample_margins[i], strata.reference_margins[i])
        finding, reason = coverage_finding(strata.dims[i], margins, cov.coverage, cov.thin, verdict, params)
        findings.append(finding)
        reasons += [reason] if reason else []
    return findings, reasons


def _unsettled(
    strata: Strata, mix_judged: list[Judged], coverage_verdicts: list[Verdict], params: dict[str, Any]
) -> tuple[SampleSize | None, list[str]]:
    """Rows that would settle the result, and the dimensions it cannot yet tell (mix first)."""
    unsettled_mix = [i for i, item in enumerate(mix_judged) if item.verdict is Verdict.INCONCLUSIVE]
    unsettled_coverage = [i for i, verdict in enumerate(coverage_verdicts) if verdict is Verdict.INCONCLUSIVE]
    names = [strata.dims[i].name for i in unsettled_mix]
    names += [strata.dims[i].name for i in unsettled_coverage if strata.dims[i].name not in names]
    return rows_needed(strata, unsettled_mix, unsettled_coverage, params), names


def _method(strata: Strata, mixes: list[MixTest], weighting: Weighting, params: dict[str, Any]) -> dict[str, Any]:
    """How it decided, echoed into the result's params."""
    return {
        "dimensions_used": [dim.name for dim in strata.dims],
        "weighting": weighting.method,
        "chi2_method": {mix.name: mix.method for mix in mixes},
        "bootstrap": "multinomial (sample and reference counts)",
        "ci_level": 1 - params["alpha"],
        "multiplicity": "holm across the mix tests and coverage tests of all dimensions",
        "psi_epsilon": 1e-4,
        "naive_timestamps": f"read as local time in {params['timezone']}",
        "sample_form": "counts" if strata.sample.counts is not None else "rows",
        **weighting.raking,
    }
