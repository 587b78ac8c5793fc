"""Anchors: a fixed item set re-scored by the judge as it is now, against the pinned snapshot's scores.

Two gated effects: the mean shift (|judge now - pinned|, paired) and the agreement between the two
(Krippendorff's alpha short of `min_alpha`): a judge can keep its mean and still reorder the items.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from airflow_evalguard.checks.common.ratings import refused_ratings
from airflow_evalguard.checks.common.shift import alpha_shortfall, paired_shift
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.krippendorff import AlphaEstimate, alpha_from_long
from airflow_evalguard.stats.paired import wilson_interval
from airflow_evalguard.verdicts import Verdict

ALPHA_LEVEL = {"ordinal": "ordinal", "interval": "interval", "pairwise": "nominal"}


def anchors_part(reference: np.ndarray, current: np.ndarray, *, score_type: str, params: dict[str, Any]) -> Part:
    """`reference`/`current`: numeric (pairwise already mapped to +1/-1/0); NaN current = parse failure."""
    scored = ~np.isnan(current)
    ref, cur = reference[scored], current[scored]
    n = len(ref)
    warn_at, fail_at = params["max_shift"]
    shift = paired_shift(cur, ref, alpha=params["alpha"], n_boot=params["n_boot"], seed=params["seed"])
    exact = int(np.sum(ref == cur))
    low, high = wilson_interval(np.array([exact]), np.array([n]), params["alpha"])

    def shift_words(verdict: Verdict) -> str:
        return (
            f"on {n:,} anchor items the judge now scores {shift.value:+.3f} vs the pinned snapshot "
            f"({shift.ci_words()}; tolerance {warn_at}/{fail_at})"
        )

    est, disagree = _agreement(ref, cur, score_type, params)
    metrics = {
        "anchor_shift": Metric(shift.value, shift.ci_low, shift.ci_high, n=n),
        "anchor_exact_agreement": Metric(exact / n, float(low[0]), float(high[0]), n=n),
        "anchor_alpha": Metric(est.value, est.ci_low, est.ci_high, n=n),
    }
    # The shift is two-sided: its degradation is |shift|, bounded by the interval end farther from 0.
    moved = shift.as_sized_effect(
        "ANCHOR_SHIFT", warn_at, fail_at, shift_words, alpha=params["alpha"], unit="anchor items"
    )
    return Part(metrics=metrics, gated=(moved, disagree))


def _agreement(
    ref: np.ndarray, cur: np.ndarray, score_type: str, params: dict[str, Any]
) -> tuple[AlphaEstimate, GatedEffect]:
    """Krippendorff's alpha between the pinned and current scores, and its shortfall below min_alpha."""
    items = np.arange(len(ref))
    with refused_ratings("anchors", "score"):
        est: AlphaEstimate = alpha_from_long(
            np.concatenate([items, items]),
            np.concatenate([ref, cur]),
            ALPHA_LEVEL[score_type],
            n_boot=params["n_boot"],
            alpha=params["alpha"],
            seed=params["seed"],
        )
    min_alpha = params["min_alpha"]

    def alpha_words(verdict: Verdict) -> str:
        return (
            f"anchor agreement between the pinned and current judge: Krippendorff alpha {est.value:.3f} "
            f"(CI {est.ci_low:.3f} to {est.ci_high:.3f}) against a minimum of {min_alpha}"
        )

    # Any shortfall of alpha below the minimum fails (warn_at = fail_at = 0).
    disagree = alpha_shortfall(
        "ANCHOR_DISAGREEMENT", est, min_alpha, alpha_words, alpha=params["alpha"], unit="anchor items"
    )
    return est, disagree
