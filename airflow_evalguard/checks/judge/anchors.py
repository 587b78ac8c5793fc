"""Anchors: a fixed item set re-scored by the judge as it is now, against the pinned snapshot's scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from airflow_evalguard.checks.judge.part import GatedEffect, PartResult
from airflow_evalguard.checks.common.shift import alpha_shortfall_p, paired_shift
from airflow_evalguard.result import Metric
from airflow_evalguard.verdicts import Verdict

ALPHA_LEVEL = {"ordinal": "ordinal", "interval": "interval", "pairwise": "nominal"}


def anchors_part(reference: np.ndarray, current: np.ndarray, *, score_type: str, p: dict) -> PartResult:
    """`reference`/`current`: numeric (pairwise already mapped to +1/-1/0); NaN current = parse failure."""
    from airflow_evalguard.stats.krippendorff import alpha_from_long
    from airflow_evalguard.stats.paired import wilson_interval

    part = PartResult()
    ok = ~np.isnan(current)
    ref, cur = reference[ok], current[ok]
    n = len(ref)
    warn_at, fail_at = p["max_shift"]
    s = paired_shift(cur, ref, alpha=p["alpha"], n_boot=p["n_boot"], seed=p["seed"])
    part.metrics["anchor_shift"] = Metric(s.value, s.ci_low, s.ci_high, n=n)
    exact = int(np.sum(ref == cur))
    lo, hi = wilson_interval(np.array([exact]), np.array([n]), p["alpha"])
    part.metrics["anchor_exact_agreement"] = Metric(exact / n, float(lo[0]), float(hi[0]), n=n)

    def shift_words(verdict: Verdict) -> str:
        return (f"on {n:,} anchor items the judge now scores {s.value:+.3f} vs the pinned snapshot "
                f"(CI {s.ci_low:+.3f} to {s.ci_high:+.3f}; tolerance {warn_at}/{fail_at})")

    part.gated.append(GatedEffect("anchor_shift", abs(s.value), s.worst_abs, s.p, warn_at, fail_at,
                                  "ANCHOR_SHIFT", shift_words))
    items = np.arange(n)
    est = alpha_from_long(np.concatenate([items, items]), np.concatenate([ref, cur]), ALPHA_LEVEL[score_type],
                          n_boot=p["n_boot"], alpha=p["alpha"], seed=p["seed"])
    part.metrics["anchor_alpha"] = Metric(est.value, est.ci_low, est.ci_high, n=n)
    min_alpha = p["min_alpha"]

    def alpha_words(verdict: Verdict) -> str:
        return (f"anchor agreement between the pinned and current judge: Krippendorff alpha {est.value:.3f} "
                f"(CI {est.ci_low:.3f} to {est.ci_high:.3f}) against a minimum of {min_alpha}")

    part.gated.append(GatedEffect("anchor_alpha", min_alpha - est.value, min_alpha - est.ci_low,
                                  alpha_shortfall_p(est.replicates, min_alpha), 0.0, 0.0, "ANCHOR_DISAGREEMENT",
                                  alpha_words))
    return part


def anchor_values(series: pd.Series, score_type: str, *, input_name: str, column: str) -> np.ndarray:
    from airflow_evalguard.checks.judge.coding import WINNER_SIGN, numeric_scores, winners

    if score_type == "pairwise":
        w = winners(series, input_name=input_name, column=column)
        return w.map(lambda v: WINNER_SIGN.get(v, np.nan) if v is not None else np.nan).to_numpy(dtype=float, copy=True)
    return numeric_scores(series, input_name=input_name, column=column).to_numpy(dtype=float, copy=True)
