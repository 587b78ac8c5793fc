"""Cohen's kappa (unweighted, linear or quadratic weights) with an item-bootstrap interval.

Each item falls in one cell of the rater-by-rater confusion matrix, so resampling items is a
multinomial over the cells (item_bootstrap with one-hot profiles). Raw agreement and per-class
agreement come from the same matrix: a judge can be 80% accurate at a kappa near 0.1 when one
class dominates, so the three are always reported together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from airflow_evalguard.stats.item_bootstrap import percentile_interval, resampled_sums

WEIGHTS = ("none", "linear", "quadratic")


def confusion(a_codes: ArrayLike, b_codes: ArrayLike, k: int) -> NDArray[np.float64]:
    """k x k counts: rows rater A's category, columns rater B's."""
    flat = np.asarray(a_codes, dtype=np.int64) * k + np.asarray(b_codes, dtype=np.int64)
    return np.bincount(flat, minlength=k * k).reshape(k, k).astype(float)


def disagreement_weights(k: int, weights: str) -> NDArray[np.float64]:
    """0 on the diagonal, 1 for the farthest pair (categories in scale order)."""
    if weights not in WEIGHTS:
        raise ValueError(f"weights must be one of {WEIGHTS}, got {weights!r}")
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    if weights == "none" or k < 2:
        off_diagonal: NDArray[np.float64] = (i != j).astype(float)
        return off_diagonal
    dist: NDArray[np.float64] = np.abs(i - j) / (k - 1)
    return dist if weights == "linear" else dist**2


def kappa_from_tables(tables: ArrayLike, w: NDArray[np.float64]) -> NDArray[np.float64]:
    """Kappa for each (b x k x k) table: 1 - observed / chance-expected weighted disagreement."""
    table_arr = np.asarray(tables, dtype=float)
    n = table_arr.sum(axis=(1, 2))
    rows = table_arr.sum(axis=2) / n[:, None]
    cols = table_arr.sum(axis=1) / n[:, None]
    observed = (table_arr * w).sum(axis=(1, 2)) / n
    expected = np.einsum("bi,bj,ij->b", rows, cols, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa: NDArray[np.float64] = 1 - observed / expected
    return kappa


@dataclass
class KappaEstimate:
    kappa: float
    ci_low: float
    ci_high: float
    agreement: float
    n: int
    table: np.ndarray
    class_agreement: np.ndarray  # per class of rater A: share of its items B put in the same class


def cohen_kappa(
    a_codes: np.ndarray,
    b_codes: np.ndarray,
    k: int,
    *,
    weights: str = "none",
    n_boot: int = 0,
    alpha: float = 0.05,
    seed: int = 0,
) -> KappaEstimate:

    table = confusion(a_codes, b_codes, k)
    w = disagreement_weights(k, weights)
    value = float(kappa_from_tables(table[None], w)[0])
    n = int(table.sum())
    lo = hi = float("nan")
    if n_boot > 0 and n > 1:
        cells = table.ravel()
        present = np.flatnonzero(cells)
        one_hot = np.eye(k * k)[present]
        sums = resampled_sums(one_hot, cells[present].astype(np.int64), n_boot, seed)
        lo, hi = percentile_interval(kappa_from_tables(sums.reshape(-1, k, k), w), alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = np.diag(table) / table.sum(axis=1)
    return KappaEstimate(value, lo, hi, float(np.trace(table) / n) if n else float("nan"), n, table, per_class)
