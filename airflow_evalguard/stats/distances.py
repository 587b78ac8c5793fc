"""Distances between two categorical mixes: shares, total variation distance, population stability
index. Kept apart from `mix` so that the TVD interval (`tvd_interval`) and the bootstrap that feeds
it (`mix`) can both build on them without importing each other.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Shares below this are floored before the log in PSI; the value usual in credit-risk PSI practice.
PSI_EPSILON = 1e-4


def shares(counts: ArrayLike) -> NDArray[np.float64]:
    count_arr = np.asarray(counts, dtype=float)
    total = count_arr.sum(axis=-1, keepdims=True)
    out = np.zeros_like(count_arr)
    np.divide(count_arr, total, out=out, where=total > 0)  # fills `out`; an empty row stays 0
    return out


def tvd(p: ArrayLike, q: ArrayLike) -> NDArray[np.float64]:
    """Total variation distance, 0.5 * sum |p - q|, over the last axis."""
    distance: NDArray[np.float64] = 0.5 * np.abs(np.asarray(p) - np.asarray(q)).sum(axis=-1)
    return distance


def psi(p: ArrayLike, q: ArrayLike, epsilon: float = PSI_EPSILON) -> NDArray[np.float64]:
    """Population stability index, sum (p - q) ln(p / q), shares floored at `epsilon`."""
    p_floored = np.maximum(np.asarray(p, dtype=float), epsilon)
    q_floored = np.maximum(np.asarray(q, dtype=float), epsilon)
    index: NDArray[np.float64] = ((p_floored - q_floored) * np.log(p_floored / q_floored)).sum(axis=-1)
    return index
