"""Human agreement: how far the judge's verdicts match human labels, and whether its pairwise
verdicts survive swapping the two answers' order (position bias); overall and, when the scores
come from several judge snapshots, per snapshot (slice `judge_model=<snapshot>`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from scipy.special import bdtr

from airflow_evalguard.checks.common.settle import share_size, sized
from airflow_evalguard.checks.common.shift import alpha_shortfall
from airflow_evalguard.checks.judge_drift.agreement import (
    agreement_metrics,
    human_consensus,
    paradox,
    position_consistency,
)
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.stats.krippendorff import AlphaEstimate
from airflow_evalguard.verdicts import Verdict

CONSENSUS = {"pairwise": "majority (a split is a tie)", "ordinal": "low median", "interval": "mean"}


def _notes(judged: pd.DataFrame, joined: pd.DataFrame, several: int, score_type: str) -> list[Finding]:
    notes = []
    if several:
        notes.append(
            Finding(
                "info",
                "HUMAN_CONSENSUS",
                f"{several} item(s) have several human labels; compared against their {CONSENSUS[score_type]}",
            )
        )
    no_human = judged["item_id"].nunique() - joined["item_id"].nunique()
    if no_human:
        notes.append(
            Finding(
                "info",
                "ITEMS_WITHOUT_HUMAN_LABEL",
                f"{no_human} judged item(s) have no human label and are left out of agreement",
            )
        )
    return notes


def human_part(judged: pd.DataFrame, human: pd.DataFrame, *, score_type: str, params: dict[str, Any]) -> Part:
    """`judged`: item_id, judge_model, judge (NaN/None = parse failure), swapped (optional);
    `human`: item_id, human."""
    human, several = human_consensus(human, score_type)
    joined = judged.merge(human, on="item_id", how="inner")
    findings = _notes(judged, joined, several, score_type)
    models = sorted(joined["judge_model"].astype(str).unique())
    groups: list[tuple[str | None, pd.DataFrame]] = [(None, joined)]
    if len(models) > 1:
        groups += [(model, joined[joined["judge_model"].astype(str) == model]) for model in models]
    overall: dict[str, Metric] = {}
    gated: list[GatedEffect] = []
    slices: list[SliceResult] = []
    validity: list[Verdict] = []
    floors: dict[str, Verdict] = {}
    for model, group in groups:
        metrics, est = agreement_metrics(group[group["judge"].notna()], score_type, params)
        consistency = position_consistency(group, params["alpha"])
        if consistency is not None:
            metrics["position_consistency"] = consistency
        gated += _gates(est, consistency, model, params)
        found = paradox(metrics, model)
        if found is not None:
            findings.append(found)
            # agreement that prevalence explains warns on the whole result, or on its snapshot's slice
            if found.slice is None:
                validity.append(Verdict.WARN)
            else:
                floors[found.slice] = Verdict.WARN
        if model is None:
            overall = metrics
        else:
            renamed = {key.replace("judge_human_", ""): metric for key, metric in metrics.items()}
            slices.append(SliceResult(f"judge_model={model}", Verdict.PASS, renamed))
    return Part(
        metrics=overall,
        findings=tuple(findings),
        gated=tuple(gated),
        validity=tuple(validity),
        slices=tuple(slices),
        slice_validity=floors,
    )


def _gates(
    est: AlphaEstimate | None, consistency: Metric | None, model: str | None, params: dict[str, Any]
) -> list[GatedEffect]:
    """Shortfalls below the user's minimum human alpha and position consistency (any shortfall fails)."""
    gated = []
    where = f" for judge {model!r}" if model else ""
    where_slice = f"judge_model={model}" if model else None
    if params["min_human_alpha"] is not None and est is not None:
        gated.append(_alpha_gate(est, params["min_human_alpha"], where, where_slice, params["alpha"]))
    if params["min_position_consistency"] is not None and consistency is not None:
        bar = params["min_position_consistency"]
        gated.append(_position_gate(consistency, bar, where, where_slice, params["alpha"]))
    return gated


def _alpha_gate(est: AlphaEstimate, bar: float, where: str, where_slice: str | None, alpha: float) -> GatedEffect:
    def words(verdict: Verdict) -> str:
        return (
            f"judge-human alpha{where} is {est.value:.3f} (CI {est.ci_low:.3f} to {est.ci_high:.3f}), "
            f"{'below' if est.value < bar else 'not shown above'} the minimum {bar}"
        )

    return alpha_shortfall(
        "LOW_HUMAN_AGREEMENT", est, bar, words, slice=where_slice, alpha=alpha, unit="human-labelled items"
    )


def _position_gate(consistency: Metric, bar: float, where: str, where_slice: str | None, alpha: float) -> GatedEffect:
    share, low, high, n = (
        float(consistency.value or 0),
        consistency.ci_low,
        consistency.ci_high,
        int(consistency.n or 0),
    )
    assert low is not None and high is not None  # position_consistency always gives its Wilson interval
    same = round(share * n)
    # one-sided binomial test of "consistency >= bar": P(X <= same | n, bar)
    p_value = float(bdtr(same, n, bar))

    def words(verdict: Verdict) -> str:
        return (
            f"the verdict{where} survives swapping the answers' order on only {share:.0%} of "
            f"{n:,} items (CI {low:.0%} to {high:.0%}; minimum {bar:.0%})"
        )

    effect = GatedEffect(
        code="POSITION_BIAS",
        value=bar - share,
        ci_high=bar - low,
        p_value=p_value,
        warn_at=0.0,
        fail_at=0.0,
        describe=words,
        slice=where_slice,
    )
    size_for = share_size(
        share, bar, n, alpha=alpha, unit="swapped pairs", what="a consistency", method="exact binomial test"
    )
    return sized(effect, size_for)
