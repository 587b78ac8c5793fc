"""Bootstrap over items by resampling per-item sufficient statistics, not the raw ratings.

Every agreement statistic here (Krippendorff's alpha, Cohen's kappa, label entropy, unanimity,
gold accuracy, discrimination) is a function of sums over items of a small vector of per-item
statistics. Resampling items with replacement is then the same as drawing, for every distinct
per-item vector (a "profile"), how many times it occurs: a multinomial over profiles. With
ordinal labels the profiles number in the hundreds however many items there are, so 1,000
resamples of 100,000 items cost a 1,000 x P matrix product.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# The item-index path materialises (chunk x n_items) counts; this bounds that matrix.
_MAX_CHUNK_CELLS = 20_000_000


def profiles(stats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the (items x k) statistics matrix and how many items share each."""
    stats = np.asarray(stats, dtype=float)
    if stats.ndim != 2:
        raise ValueError("per-item statistics must be a 2-D (items x k) array")
    unique, counts = np.unique(stats, axis=0, return_counts=True)
    return unique, counts


def resampled_sums(unique: np.ndarray, counts: np.ndarray, n_boot: int, seed: int) -> NDArray[np.float64]:
    """(n_boot x k) column sums of the statistics, each over a with-replacement resample of items.

    Exactly the distribution of resampling the items themselves; the seed fixes the result.
    """
    unique = np.asarray(unique, dtype=float)
    counts = np.asarray(counts, dtype=np.int64)
    n_items = int(counts.sum())
    rng = np.random.default_rng(seed)
    if n_boot <= 0 or n_items == 0:
        return np.empty((0, unique.shape[1]))
    n_profiles = len(counts)
    if n_profiles * 4 <= n_items:
        weights = rng.multinomial(n_items, counts / n_items, size=n_boot)
        sums: NDArray[np.float64] = weights @ unique
        return sums
    # Nearly every item is its own profile (continuous ratings): draw item indices in chunks.
    item_profile = np.repeat(np.arange(n_profiles), counts)
    chunk = max(1, min(n_boot, _MAX_CHUNK_CELLS // max(n_items, 1)))
    out = np.empty((n_boot, unique.shape[1]))
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        picks = item_profile[rng.integers(0, n_items, size=(b, n_items))]
        picks += (np.arange(b) * n_profiles)[:, None]
        weights = np.bincount(picks.ravel(), minlength=b * n_profiles).reshape(b, n_profiles)
        out[start : start + b] = weights @ unique
    return out


def percentile_interval(replicates: np.ndarray, alpha: float) -> tuple[float, float]:
    """Two-sided percentile interval of the finite bootstrap replicates (NaN when none are)."""
    finite = np.asarray(replicates, dtype=float)
    finite = finite[np.isfinite(finite)]
    if len(finite) == 0:
        return float("nan"), float("nan")
    lo, hi = np.quantile(finite, [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi)
