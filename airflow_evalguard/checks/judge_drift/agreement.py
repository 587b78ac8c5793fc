"""How far the judge's verdicts match human labels (one group of judge-vs-human pairs).

Raw agreement, Cohen's kappa (quadratic weights for ordinal scores) and per-class agreement are
reported together: on skewed classes a judge can be 80% accurate at a kappa near 0.1.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.ratings import refused_ratings
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.stats.kappa import KappaEstimate, cohen_kappa
from airflow_evalguard.stats.krippendorff import AlphaEstimate, alpha_from_long
from airflow_evalguard.stats.paired import wilson_interval

ALPHA_LEVEL = {"ordinal": "ordinal", "interval": "interval", "pairwise": "nominal"}
KAPPA_WEIGHTS = {"ordinal": "quadratic", "pairwise": "none"}
# Flag agreement that prevalence, not skill, explains: high raw agreement, kappa no better than
# "fair" (Landis & Koch: <= 0.40), and one class holding most human labels.
PARADOX_AGREEMENT, PARADOX_KAPPA, PARADOX_PREVALENCE = 0.7, 0.4, 0.7
CLASS = "class_agreement["


def _majority(labels: pd.Series) -> str:
    top = labels.value_counts()
    return str(top.index[0]) if len(top) == 1 or top.iloc[0] > top.iloc[1] else "tie"


def _low_median(labels: pd.Series) -> float:
    return float(np.sort(labels.to_numpy())[(len(labels) - 1) // 2])


def human_consensus(human: pd.DataFrame, score_type: str) -> tuple[pd.DataFrame, int]:
    """One human label per item: the majority winner (a split is 'tie'), the low median score, or
    the mean for interval scores. Returns the labels and how many items had several."""
    counts = human.groupby("item_id", sort=False)["human"].size()
    several = int((counts > 1).sum())
    if not several:
        return human, 0
    per_item = human.groupby("item_id", sort=False)["human"]
    if score_type == "pairwise":
        out = per_item.agg(_majority)
    elif score_type == "ordinal":
        out = per_item.agg(_low_median)
    else:
        out = per_item.mean()
    return out.rename("human").reset_index(), several


def _categories(judge: pd.Series, human: pd.Series, score_type: str) -> list[Any]:
    if score_type == "pairwise":
        return ["1", "2", "tie"]
    return sorted(set(judge.tolist()) | set(human.tolist()))


def _label(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _kappa_metrics(joined: pd.DataFrame, score_type: str, params: dict[str, Any]) -> dict[str, Metric]:
    n = len(joined)
    cats = _categories(joined["judge"], joined["human"], score_type)
    index = {cat: i for i, cat in enumerate(cats)}
    kappa: KappaEstimate = cohen_kappa(
        joined["judge"].map(index).to_numpy(),
        joined["human"].map(index).to_numpy(),
        len(cats),
        weights=KAPPA_WEIGHTS[score_type],
        n_boot=params["n_boot"],
        alpha=params["alpha"],
        seed=params["seed"],
    )
    metrics = {
        "judge_human_kappa": Metric(kappa.kappa, kappa.ci_low, kappa.ci_high, n=n),
        "judge_human_agreement": Metric(kappa.agreement, n=n),
    }
    human_totals = kappa.table.sum(axis=0)
    for cat, i in index.items():
        if human_totals[i] > 0:
            metrics[f"{CLASS}{_label(cat)}]"] = Metric(kappa.table[i, i] / human_totals[i], n=int(human_totals[i]))
    return metrics


def agreement_metrics(
    joined: pd.DataFrame, score_type: str, params: dict[str, Any]
) -> tuple[dict[str, Metric], AlphaEstimate | None]:
    """Metrics for one group of judge-vs-human pairs (columns judge, human), and the alpha estimate."""
    n = len(joined)
    if n == 0:
        return {}, None
    items = np.arange(n)
    labels = np.concatenate([joined["judge"].to_numpy(object), joined["human"].to_numpy(object)])
    if score_type != "pairwise":
        labels = labels.astype(float)
    with refused_ratings("human", "human_score"):
        est: AlphaEstimate = alpha_from_long(
            np.concatenate([items, items]),
            labels,
            ALPHA_LEVEL[score_type],
            n_boot=params["n_boot"],
            alpha=params["alpha"],
            seed=params["seed"],
        )
    metrics = {"judge_human_alpha": Metric(est.value, est.ci_low, est.ci_high, n=n)}
    if score_type in KAPPA_WEIGHTS:
        metrics.update(_kappa_metrics(joined, score_type, params))
    else:
        metrics["judge_human_mean_difference"] = Metric(float(np.mean(joined["judge"] - joined["human"])), n=n)
    return metrics, est


def position_consistency(joined: pd.DataFrame, alpha: float) -> Metric | None:
    """Share of pairwise verdicts unchanged when the two answers swap places (Wilson interval)."""
    if "swapped" not in joined.columns:
        return None
    both = joined["judge"].notna() & joined["swapped"].notna()
    n = int(both.sum())
    if n == 0:
        return None
    same = int((joined.loc[both, "judge"] == joined.loc[both, "swapped"]).sum())
    low, high = wilson_interval(np.array([same]), np.array([n]), alpha)
    return Metric(same / n, float(low[0]), float(high[0]), n=n)


def paradox(metrics: dict[str, Metric], model: str | None) -> Finding | None:
    """AGREEMENT_PARADOX when high raw agreement rests on one dominant class, not on skill."""
    agree, kappa = metrics.get("judge_human_agreement"), metrics.get("judge_human_kappa")
    if agree is None or kappa is None or agree.value is None or kappa.value is None:
        return None
    shares = {key[len(CLASS) : -1]: int(m.n or 0) for key, m in metrics.items() if key.startswith(CLASS)}
    total = sum(shares.values())
    top_class, top_n = max(shares.items(), key=lambda kv: kv[1]) if shares else (None, 0)
    if not (
        agree.value >= PARADOX_AGREEMENT
        and kappa.value < PARADOX_KAPPA
        and total
        and top_n / total >= PARADOX_PREVALENCE
    ):
        return None
    who = f"judge {model!r}" if model else "the judge"
    classes = ", ".join(f"{key[len(CLASS) : -1]} {m.value:.0%}" for key, m in metrics.items() if key.startswith(CLASS))
    return Finding(
        "warn",
        "AGREEMENT_PARADOX",
        f"{who} agrees with humans on {agree.value:.0%} of items but kappa is {kappa.value:.2f}: class "
        f"{top_class} holds {top_n / total:.0%} of human labels and the agreement is mostly chance "
        f"(agreement per class: {classes})",
        f"judge_model={model}" if model else None,
    )
