"""Dependence between arm assignment and a field: Cramér's V with a permutation p-value.

Under honest randomisation the arm is independent of every field the prompt assembler reads;
a field that predicts the arm is a leak. The permutation test shuffles arm labels, so its
p-value is exact whatever the table's sparsity; above PERMUTATION_MAX_N units the chi-square
approximation is used instead (its expected counts are then large), and the method is stated.
"""

from __future__ import annotations

import numpy as np

PERMUTATION_MAX_N = 200_000


def _chi2(field_codes: np.ndarray, arm_codes: np.ndarray, n_field: int, n_arm: int) -> float:
    table = np.bincount(field_codes * n_arm + arm_codes, minlength=n_field * n_arm).reshape(n_field, n_arm)
    table = table.astype(float)
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.nansum(np.where(expected > 0, (table - expected) ** 2 / expected, 0.0)))


def cramers_v(chi2: float, n: int, n_field: int, n_arm: int) -> float:
    k = min(n_field, n_arm) - 1
    return float(np.sqrt(chi2 / (n * k))) if k > 0 and n > 0 else 0.0


def dependence_test(field_codes: np.ndarray, arm_codes: np.ndarray, *, n_perm: int, seed: int) -> tuple[float, float, str]:
    """(Cramér's V, p-value, method) for arm vs field (both integer-coded from 0)."""
    from scipy.special import chdtrc

    field_codes = np.asarray(field_codes, dtype=np.int64)
    arm_codes = np.asarray(arm_codes, dtype=np.int64)
    n_field, n_arm = int(field_codes.max()) + 1, int(arm_codes.max()) + 1
    n = len(arm_codes)
    observed = _chi2(field_codes, arm_codes, n_field, n_arm)
    v = cramers_v(observed, n, n_field, n_arm)
    if n_field < 2 or n_arm < 2:
        return 0.0, 1.0, "constant"
    if n > PERMUTATION_MAX_N:
        return v, float(chdtrc((n_field - 1) * (n_arm - 1), observed)), "chi2"
    rng = np.random.default_rng(seed)
    exceed = 0
    for _ in range(n_perm):
        exceed += _chi2(field_codes, rng.permutation(arm_codes), n_field, n_arm) >= observed - 1e-9
    return v, (1 + exceed) / (n_perm + 1), "permutation"
