"""Distances and tests between two categorical mixes (a sample's and a reference's).

Everything works on stratum counts, never on rows: the bootstrap resamples counts
(multinomially), so its cost does not grow with the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import chdtrc

from airflow_evalguard.stats.distances import psi, shares
from airflow_evalguard.stats.tvd_interval import tvd_interval


def _multinomial_draws(rng: np.random.Generator, counts: np.ndarray, size: int) -> np.ndarray:
    """`size` multinomial resamples of a count vector (totals rounded: counts may be rates)."""
    total = int(round(float(np.sum(counts))))
    return rng.multinomial(total, shares(counts), size=size)


@dataclass(frozen=True)
class DistanceCI:
    tvd: float  # corrected for the bias of strata that may be tied (stats.tvd_interval)
    tvd_low: float
    tvd_high: float
    psi: float
    psi_low: float
    psi_high: float
    tvd_plugin: float = float("nan")  # 0.5 * sum |p_hat - q_hat|, biased upwards


def bootstrap_distances(
    sample_counts: np.ndarray, ref_counts: np.ndarray, *, alpha: float, n_boot: int, seed: int
) -> DistanceCI:
    """TVD (interval of `stats.tvd_interval`) and PSI (percentile interval) from one parametric
    (multinomial) bootstrap of both sides.

    The reference is resampled too: when it is itself a sample its noise belongs in the interval,
    and when it is a large production log its resampling noise is negligible.
    """
    rng = np.random.default_rng(seed)
    p, q = shares(sample_counts), shares(ref_counts)
    p_star = shares(_multinomial_draws(rng, sample_counts, n_boot))
    q_star = shares(_multinomial_draws(rng, ref_counts, n_boot))
    lo, hi = 100 * alpha / 2, 100 * (1 - alpha / 2)
    s_star = psi(p_star, q_star)
    interval = tvd_interval(sample_counts, ref_counts, p_star, q_star, alpha)
    return DistanceCI(
        tvd=interval.point,
        tvd_low=interval.low,
        tvd_high=interval.high,
        psi=float(psi(p, q)),
        psi_low=float(np.percentile(s_star, lo)),
        psi_high=float(np.percentile(s_star, hi)),
        tvd_plugin=interval.plugin,
    )


def _chi2_stat(table: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pearson statistic of 2xK tables stacked on the first axis (shape (..., 2, K))."""
    rows = table.sum(axis=-1, keepdims=True)
    cols = table.sum(axis=-2, keepdims=True)
    total = table.sum(axis=(-2, -1), keepdims=True)
    expected = rows * cols / total
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(expected > 0, (table - expected) ** 2 / expected, 0.0)
    statistic: NDArray[np.float64] = terms.sum(axis=(-2, -1))
    return statistic


def mix_test(sample_counts: np.ndarray, ref_counts: np.ndarray, *, n_sim: int, seed: int) -> tuple[float, str]:
    """p-value of 'the sample has the reference's mix' and the method used.

    Pearson's chi-square test of homogeneity on the 2xK table (as scipy's chi2_contingency without
    continuity correction, the test oracle) when every expected count
    is at least 5; otherwise the chi-square approximation is unreliable and the p-value comes from
    `n_sim` multinomial simulations under the pooled mix (Monte Carlo, as R's
    `chisq.test(simulate.p.value=TRUE)`).
    """
    # scipy.special, not scipy.stats: same chi-square tail, a quarter of the import time.

    table = np.vstack([sample_counts, ref_counts]).astype(float)
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return 1.0, "single_stratum"
    rows = table.sum(axis=1, keepdims=True)
    expected = rows * table.sum(axis=0, keepdims=True) / table.sum()
    if expected.min() >= 5:
        dof = table.shape[1] - 1
        return float(chdtrc(dof, _chi2_stat(table))), "chi2_contingency"
    rng = np.random.default_rng(seed)
    pooled_mix = shares(table.sum(axis=0))
    sims = np.stack([rng.multinomial(int(round(r)), pooled_mix, size=n_sim) for r in rows[:, 0]], axis=1)
    observed = _chi2_stat(table)
    exceed = int(np.sum(_chi2_stat(sims.astype(float)) >= observed - 1e-9))
    return (1 + exceed) / (n_sim + 1), "monte_carlo_chi2"
