"""The relevance part: did recall@k and nDCG@k drop under the new embedding?

Per query and version, recall@k and nDCG@k with binary relevance (the relevant documents are
those labelled relevant under either version). The drop old - new is averaged over the queries
ranked under both, with a paired bootstrap interval and a paired t-test p-value; both drops are
gated effects (RETRIEVAL_REGRESSION) in the check's family, so Holm runs across them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import ttest_rel

from airflow_evalguard.checks.common.settle import band_size, sized, standard_error
from airflow_evalguard.checks.embedding_drift import words
from airflow_evalguard.core.compose import Judged
from airflow_evalguard.core.part import Describe, GatedEffect, Part
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict

CODE = "RETRIEVAL_REGRESSION"
METRICS = ("recall", "ndcg")
EVIDENCE_ROWS = 1000  # queries with the largest drop kept as evidence, per metric
# The drops' spread is taken at its median limit (Browne 1995's gamma = 0.5), as an agreement
# minimum's is: at the 80% limit an nDCG@10 size over-powered (0.907 of 300 runs where 80% was
# stated, tests/calibration/test_power_embed_latency.py).
RETRIEVAL_PILOT_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Drop:
    """One metric's drop old - new over the queries ranked under both versions."""

    name: str  # e.g. "recall@10"
    old: float
    new: float
    value: float
    ci_low: float
    ci_high: float
    p_value: float
    queries: int
    evidence: pd.DataFrame


def per_query(df: pd.DataFrame, k: int) -> pd.DataFrame:
    """recall@k and nDCG@k per query and version (binary relevance; relevant docs known from either version)."""
    relevant = df[df["relevant"] > 0]
    known = relevant.groupby("query_id")["doc_id"].nunique()
    top = df[(df["rank"] <= k) & (df["relevant"] > 0)]
    hits = top.groupby(["query_id", "version"]).size()
    dcg = (1 / np.log2(top["rank"] + 1)).groupby([top["query_id"], top["version"]]).sum()
    grid = pd.MultiIndex.from_product([df["query_id"].unique(), df["version"].unique()], names=["query_id", "version"])
    out = pd.DataFrame(index=grid)
    out["hits"] = hits.reindex(grid, fill_value=0)
    out["dcg"] = dcg.reindex(grid, fill_value=0.0)
    n_rel = known.reindex(out.index.get_level_values(0), fill_value=0).to_numpy()
    ideal = np.array([np.sum(1 / np.log2(np.arange(2, min(r, k) + 2))) for r in n_rel])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["recall"] = np.where(n_rel > 0, out["hits"] / n_rel, np.nan)
        out["ndcg"] = np.where(ideal > 0, out["dcg"] / ideal, np.nan)
    return out.reset_index()


def measure(df: pd.DataFrame, params: dict[str, Any]) -> list[Drop]:
    """The recall@k and nDCG@k drops, each with a paired bootstrap interval and a paired t p-value."""
    k, old_version, new_version = params["k"], params["old_version"], params["new_version"]
    scores = per_query(df[df["version"].isin({old_version, new_version})], k)
    wide = scores.pivot(index="query_id", columns="version", values=list(METRICS)).dropna()
    rng = np.random.default_rng(params["seed"])
    # One set of resampled queries for both metrics: the drops are paired over the same queries.
    boot_idx = rng.integers(0, len(wide), size=(params["n_boot"], len(wide)))
    alpha = params["alpha"]
    drops = []
    for metric in METRICS:
        old, new = wide[(metric, old_version)].to_numpy(), wide[(metric, new_version)].to_numpy()
        drop = old - new
        low, high = np.percentile(drop[boot_idx].mean(axis=1), [100 * alpha / 2, 100 * (1 - alpha / 2)])
        p_value = float(ttest_rel(old, new).pvalue) if np.any(drop != 0) else 1.0
        worst_queries = np.argsort(-drop, kind="stable")[:EVIDENCE_ROWS]
        evidence = pd.DataFrame(
            {
                "part": "relevance",
                "item": wide.index.to_numpy()[worst_queries].astype(str),
                "arm": None,
                "value": drop[worst_queries],
                "detail": f"{metric}@{k} drop old - new",
            }
        )
        name = f"{metric}@{k}"
        drops.append(
            Drop(
                name,
                float(old.mean()),
                float(new.mean()),
                float(drop.mean()),
                float(low),
                float(high),
                p_value,
                len(wide),
                evidence,
            )
        )
    return drops


def part(drops: Sequence[Drop], params: dict[str, Any]) -> Part:
    """The per-version levels and drops, and each drop as a gated effect (worded by `findings`)."""
    metrics: dict[str, Metric] = {}
    gated = []
    for drop in drops:
        metrics[f"{drop.name}.old"] = Metric(drop.old, n=drop.queries)
        metrics[f"{drop.name}.new"] = Metric(drop.new, n=drop.queries)
        metrics[f"{drop.name}.drop"] = Metric(drop.value, drop.ci_low, drop.ci_high, n=drop.queries)
        effect = GatedEffect(
            CODE,
            drop.value,
            drop.ci_high,
            drop.p_value,
            warn_at=params["warn_at"],
            fail_at=params["fail_at"],
            describe=_named(drop, params["fail_at"]),  # FAIL/WARN worded with its adjusted p by `findings`
            ci_low=drop.ci_low,
            report=False,
        )
        size_for = band_size(
            standard_error(drop.ci_low, drop.ci_high, params["alpha"]),
            drop.queries,
            params["fail_at"],
            alpha=params["alpha"],
            two_sided=True,  # the paired t test of the drop, Holm across the family
            unit="queries",
            what=f"{drop.name} drop",
            method="paired t test, percentile paired bootstrap",
            confidence=RETRIEVAL_PILOT_CONFIDENCE,
        )
        gated.append(sized(effect, size_for))
    return Part(metrics=metrics, gated=tuple(gated))


def _named(drop: Drop, fail_at: float) -> Describe:
    def describe(verdict: Verdict) -> str:
        if verdict is Verdict.INCONCLUSIVE:
            return words.retrieval_unsettled(drop.name, drop.value, drop.ci_low, drop.ci_high, drop.queries, fail_at)
        return drop.name

    return describe


def findings(judged: Sequence[Judged], drops: Sequence[Drop]) -> list[Finding]:
    """A finding per drop that FAILs or WARNs, with its Holm-adjusted p-value.

    `judged`: the composed family's RETRIEVAL_REGRESSION members, in the order `part` gave them.
    """
    return [
        Finding(
            item.verdict.value.lower(),
            CODE,
            words.retrieval_regression(drop.name, drop.value, drop.ci_low, drop.ci_high, item.p_adjusted, drop.queries),
        )
        for item, drop in zip(judged, drops, strict=True)
        if item.verdict in (Verdict.FAIL, Verdict.WARN)
    ]
