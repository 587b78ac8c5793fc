"""How much a set of labels still measures, beside agreement: entropy, unanimity, gold accuracy
and discrimination, each a ratio of sums of per-item statistics (so the item bootstrap applies).

Agreement alone cannot tell "labelers got better" from "labelers stopped looking": labelers who
converge on one safe mark agree perfectly and measure nothing.
- entropy: mean Shannon entropy (bits) of the labels within an item (items with >= 2 labels);
- unanimous_share: share of those items whose labels all agree;
- gold_accuracy: share of labels equal to the gold label, over labels on gold items;
- discrimination: (D_e - D_o) / D_max, Krippendorff's expected minus observed disagreement (the
  part of label variation that is between items) over the largest expected disagreement the
  scale allows. With the interval metric D_e - D_o is about twice the between-item variance
  component, so it stays put when labelers merely get less noisy and falls when their marks
  crowd into a corner of the scale; 0 when every item gets the same mark.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def spread_statistics(counts: np.ndarray, gold_codes: np.ndarray | None) -> np.ndarray:
    """(items x 5) per-item statistics from the items x values count matrix:
    pairable, entropy, unanimous, labels equal to gold, labels on a gold item.

    `gold_codes[u]` is the value code of item u's gold label, or -1 when it has none.
    """
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=1)
    pairable = (m >= 2).astype(float)
    safe_m = np.where(m > 0, m, 1)[:, None]
    share = counts / safe_m
    logs = np.log2(np.where(share > 0, share, 1))
    entropy = -(share * logs).sum(axis=1) * pairable
    unanimous = ((counts.max(axis=1) == m) & (m >= 2)).astype(float)
    if gold_codes is None:
        correct = gold_n = np.zeros(len(counts))
    else:
        gold_codes = np.asarray(gold_codes, dtype=np.int64)
        has_gold = gold_codes >= 0
        correct = np.where(has_gold, counts[np.arange(len(counts)), np.maximum(gold_codes, 0)], 0.0)
        gold_n = np.where(has_gold, m, 0.0)
    return np.column_stack([pairable, entropy, unanimous, correct, gold_n])


def spread_from_sums(sums: np.ndarray) -> dict[str, np.ndarray]:
    """Entropy, unanimity and gold accuracy for every row of summed statistics."""
    s = np.atleast_2d(np.asarray(sums, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "entropy": s[:, 1] / s[:, 0],
            "unanimous_share": s[:, 2] / s[:, 0],
            "gold_accuracy": s[:, 3] / s[:, 4],
        }


def max_disagreement(values: np.ndarray, numeric: bool) -> float:
    """The largest expected disagreement a scale allows: half the labels at each end (interval
    metric), or labels spread evenly over the categories (nominal metric)."""
    if numeric:
        v = np.asarray(values, dtype=float)
        return float((v.max() - v.min()) ** 2 / 2) if len(v) else float("nan")
    k = len(values)
    return 1 - 1 / k if k > 1 else float("nan")


def discrimination(observed: ArrayLike, expected: ArrayLike, d_max: float) -> NDArray[np.float64]:
    """(D_e - D_o) / D_max: the between-item part of the label variation, on the scale's range."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share: NDArray[np.float64] = (np.asarray(expected) - np.asarray(observed)) / d_max
    return share
