"""Per batch: Krippendorff's alpha and the readings agreement cannot fake (label entropy, unanimity,
discrimination between items, gold accuracy), each with a percentile bootstrap over items.

Every reading is a function of sums over items of per-item sufficient statistics, so one
resample of those sums (`stats.item_bootstrap`) gives one replicate of every reading at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.ratings import encode, refused_ratings
from airflow_evalguard.checks.labeler_agreement.read import BATCH, ITEM, LABEL, LABELER, batch_order
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.stats.item_bootstrap import percentile_interval, profiles, resampled_sums
from airflow_evalguard.stats.krippendorff import (
    AlphaStatistics,
    count_matrix,
    disagreements_from_sums,
    item_statistics,
)
from airflow_evalguard.stats.label_spread import discrimination, max_disagreement, spread_from_sums, spread_statistics

READINGS = ("alpha", "entropy", "unanimous_share", "discrimination", "gold_accuracy")


@dataclass(frozen=True)
class Scale:
    """The labels encoded on one scale (gold included, so codes compare)."""

    values: np.ndarray  # distinct labels in scale order
    label_codes: np.ndarray  # code per label row
    gold: dict[str, int] | None  # item -> gold code
    level: str  # alpha's metric
    spread_level: str  # discrimination's metric
    d_max: float  # the largest disagreement the scale allows


@dataclass(frozen=True)
class Batches:
    order: list[Any]
    per_batch: dict[str, np.ndarray]  # reading -> value per batch
    replicates: dict[str, np.ndarray]  # reading -> (n_boot x batches) bootstrap replicates
    ci: dict[str, list[tuple[float, float]]]  # reading -> interval per batch
    sizes: list[tuple[int, int | None, int]]  # per batch: pairable items, labelers (None from counts), labels
    unpairable: int  # items with a single label, over all batches


def _scale(labels: pd.DataFrame, gold: pd.DataFrame | None, params: dict[str, Any]) -> Scale:
    level = params["level"]
    all_labels = labels[LABEL] if gold is None else pd.concat([labels[LABEL], gold[LABEL]], ignore_index=True)
    values, codes = encode(all_labels, level, params["order"], input_name="labels", column=LABEL)
    gold_codes = None if gold is None else dict(zip(gold[ITEM].astype(str), codes[len(labels) :], strict=False))
    numeric = level != "nominal"
    # Discrimination reads the scale with the interval metric when labels are numbers (the
    # ordinal metric's distances move with the marginals, which is exactly what changes here).
    spread_level = "interval" if numeric else "nominal"
    return Scale(values, codes[: len(labels)], gold_codes, level, spread_level, max_disagreement(values, numeric))


def _readings(
    sums: np.ndarray, edges: np.ndarray, a_stats: AlphaStatistics, d_stats: AlphaStatistics, d_max: float
) -> dict[str, np.ndarray]:
    """Every reading from the column sums of [alpha stats | discrimination stats | spread stats]."""
    a_sums, d_sums, s_sums = (sums[:, edges[i] : edges[i + 1]] for i in range(3))
    out = spread_from_sums(s_sums)
    observed, expected = disagreements_from_sums(a_sums, a_stats)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["alpha"] = 1 - observed / expected
    out["discrimination"] = discrimination(*disagreements_from_sums(d_sums, d_stats), d_max)
    return out


def _batch_counts(labels: pd.DataFrame, rows: np.ndarray, scale: Scale) -> tuple[np.ndarray, Any]:
    """(items x values) label counts of one batch, and its item ids."""
    item_codes, item_ids = pd.factorize(labels[ITEM].iloc[rows].astype(str))
    weights = labels["count"].to_numpy(dtype=float)[rows] if "count" in labels.columns else None
    with refused_ratings("labels", LABEL):
        counts = count_matrix(item_codes, scale.label_codes[rows], len(item_ids), len(scale.values), weights)
    return counts, item_ids


def _one_batch(
    counts: np.ndarray, item_ids: Any, batch: Any, index: int, scale: Scale, params: dict[str, Any]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], AlphaStatistics]:
    """(point readings, bootstrap replicates, alpha statistics) of one batch."""
    with refused_ratings("labels", LABEL):
        a_stats = item_statistics(counts, scale.values, scale.level)
    if a_stats.pairable_items == 0:
        raise EvalGuardInputError(
            f"input 'labels': batch {batch!r} has no item with two or more labels; alpha needs pairable values "
            "(at least two labels on the same item)",
            input_name="labels",
            column=ITEM,
        )
    gold_codes = None
    if scale.gold is not None:
        gold_codes = np.array([scale.gold.get(item, -1) for item in item_ids], dtype=np.int64)
    same = scale.spread_level == scale.level
    d_stats = a_stats if same else item_statistics(counts, scale.values, scale.spread_level)
    blocks = [a_stats.per_item, d_stats.per_item, spread_statistics(counts, gold_codes)]
    edges = np.cumsum([0] + [block.shape[1] for block in blocks])
    stats = np.hstack(blocks)
    point = _readings(stats.sum(axis=0)[None, :], edges, a_stats, d_stats, scale.d_max)
    unique, repeats = profiles(stats[stats[:, edges[2]] > 0])  # pairable items only
    # one seed per batch, so adding a batch leaves the others' replicates unchanged
    # (stats.item_bootstrap types the seed as int; numpy takes the (seed, batch) sequence)
    sums = resampled_sums(unique, repeats, params["n_boot"], seed=(params["seed"], index))  # type: ignore[arg-type]
    return point, _readings(sums, edges, a_stats, d_stats, scale.d_max), a_stats


def measure(labels: pd.DataFrame, gold: pd.DataFrame | None, params: dict[str, Any]) -> Batches:
    scale = _scale(labels, gold, params)
    order = batch_order(labels[BATCH], params["batch_order"])
    if len(order) < 2:
        raise EvalGuardInputError(
            f"input 'labels': column '{BATCH}' has a single value ({order[0]!r}); a trend needs at least two batches",
            input_name="labels",
            column=BATCH,
        )
    per_batch = {reading: np.full(len(order), np.nan) for reading in READINGS}
    replicates = {reading: np.full((params["n_boot"], len(order)), np.nan) for reading in READINGS}
    ci: dict[str, list[tuple[float, float]]] = {reading: [] for reading in READINGS}
    sizes: list[tuple[int, int | None, int]] = []
    unpairable = 0
    batch_key = labels[BATCH].to_numpy()
    for index, batch in enumerate(order):
        rows = np.flatnonzero(batch_key == batch)
        counts, item_ids = _batch_counts(labels, rows, scale)
        point, boot, a_stats = _one_batch(counts, item_ids, batch, index, scale, params)
        unpairable += a_stats.unpairable_items
        for reading in READINGS:
            per_batch[reading][index] = point[reading][0]
            replicates[reading][:, index] = boot[reading]
            ci[reading].append(percentile_interval(boot[reading], params["alpha"]))
        labelers = int(labels[LABELER].iloc[rows].nunique()) if LABELER in labels.columns else None
        sizes.append((a_stats.pairable_items, labelers, int(counts.sum())))
    return Batches(order, per_batch, replicates, ci, sizes, unpairable)
