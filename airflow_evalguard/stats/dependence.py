"""Dependence between arm assignment and a field: Cramér's V with a permutation p-value.

Under honest randomisation the arm is independent of every field the prompt assembler reads;
a field that predicts the arm is a leak. Shuffling the arm labels over units draws contingency
tables with the observed margins (the multivariate hypergeometric), so the permutation test is
run on the field x arm table itself with scipy.stats.random_table: the same null distribution,
and it needs only the table (which a database can return), not the units. Its p-value is exact
whatever the table's sparsity; above PERMUTATION_MAX_N units the chi-square approximation is
used instead (its expected counts are then large), and the method is stated.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import chdtrc
from scipy.stats import random_table

PERMUTATION_MAX_N = 200_000


def chi2_statistic(tables: ArrayLike) -> NDArray[np.float64]:
    """Pearson's statistic of one (r, c) table or a stack (..., r, c); empty rows/columns add 0."""
    table_arr = np.asarray(tables, float)
    expected = (
        table_arr.sum(axis=-1, keepdims=True)
        * table_arr.sum(axis=-2, keepdims=True)
        / table_arr.sum(axis=(-2, -1), keepdims=True)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic: NDArray[np.float64] = np.where(expected > 0, (table_arr - expected) ** 2 / expected, 0.0).sum(
            axis=(-2, -1)
        )
    return statistic


def cramers_v(chi2: float, n: int, n_field: int, n_arm: int) -> float:
    k = min(n_field, n_arm) - 1
    return float(np.sqrt(chi2 / (n * k))) if k > 0 and n > 0 else 0.0


def dependence_test(table: np.ndarray, *, n_perm: int, seed: int) -> tuple[float, float, str]:
    """(Cramér's V, p-value, method) for a field x arm table of unit counts."""

    table = np.asarray(table, dtype=np.int64)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]  # levels and arms with units
    n_field, n_arm = table.shape
    if n_field < 2 or n_arm < 2:
        return 0.0, 1.0, "constant"
    n = int(table.sum())
    observed = float(chi2_statistic(table))
    v = cramers_v(observed, n, n_field, n_arm)
    if n > PERMUTATION_MAX_N:
        return v, float(chdtrc((n_field - 1) * (n_arm - 1), observed)), "chi2"
    sampler = random_table(table.sum(axis=1), table.sum(axis=0), seed=np.random.default_rng(seed))
    per_chunk = max(1, 4_000_000 // table.size)  # bound the stack of simulated tables (~32 MB)
    exceed, done = 0, 0
    while done < n_perm:
        size = min(per_chunk, n_perm - done)
        exceed += int(np.sum(chi2_statistic(sampler.rvs(size)) >= observed - 1e-9))
        done += size
    return v, (1 + exceed) / (n_perm + 1), "permutation"
