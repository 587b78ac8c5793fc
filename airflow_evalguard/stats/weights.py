"""Re-weighting a sample to a reference mix: post-stratification, raking, Kish effective n.

All functions work on occupied strata (cells) with their counts, so the cost is per stratum,
not per row; a row's weight is its cell's weight.
"""

from __future__ import annotations

import numpy as np


def kish_ess(weights: np.ndarray, counts: np.ndarray | None = None) -> float:
    """Kish effective sample size, (sum w)^2 / sum w^2; `counts` repeats each weight that often."""
    w = np.asarray(weights, dtype=float)
    c = np.ones_like(w) if counts is None else np.asarray(counts, dtype=float)
    denom = float(np.sum(c * w * w))
    return float(np.sum(c * w) ** 2 / denom) if denom > 0 else 0.0


def post_stratification_weights(sample_counts: np.ndarray, ref_shares: np.ndarray) -> np.ndarray:
    """Per-cell weight q_j / (n_j / n), normalised to mean 1 over sample rows; 0 for empty cells."""
    n = float(np.sum(sample_counts))
    p = np.asarray(sample_counts, dtype=float) / n
    w = np.divide(np.asarray(ref_shares, dtype=float), p, out=np.zeros_like(p), where=p > 0)
    return _normalise(w, sample_counts)


def raking_weights(
    sample_counts: np.ndarray,
    cell_levels: list[np.ndarray],
    target_shares: list[np.ndarray],
    *,
    max_iter: int = 200,
    tol: float = 1e-10,
) -> tuple[np.ndarray, int, bool]:
    """Iterative proportional fitting of cell weights to each dimension's marginal shares.

    `cell_levels[d][j]` is the level of dimension d in cell j; `target_shares[d]` the reference
    share of each level, already restricted to levels the sample has (the rest is unreachable and
    is reported as a coverage gap, not hidden here). Returns weights, iterations, converged.
    """
    counts = np.asarray(sample_counts, dtype=float)
    w = np.ones_like(counts)
    n = counts.sum()
    for it in range(1, max_iter + 1):
        worst = 0.0
        for levels, target in zip(cell_levels, target_shares, strict=True):
            current = np.bincount(levels, weights=counts * w, minlength=len(target)) / n
            factor = np.divide(target, current, out=np.ones_like(target), where=current > 0)
            w = w * factor[levels]
            worst = max(worst, float(np.max(np.abs(current - target))))
        if worst < tol:
            return _normalise(w, counts), it, True
    return _normalise(w, counts), max_iter, False


def _normalise(w: np.ndarray, counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts, dtype=float)
    total = float(np.sum(w * counts))
    return w * (np.sum(counts) / total) if total > 0 else w
