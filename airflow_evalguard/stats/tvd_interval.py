"""A confidence interval for the total variation distance between a sample's mix and a reference's
that keeps its coverage where the distance is not smooth: strata in which the two mixes agree.

The plug-in TVD(p_hat, q_hat) = 0.5 * sum |d_hat_k| (d = p - q) is biased upwards by every stratum
where d_k = 0, since there |d_hat_k| = |noise_k| > 0; a bootstrap drawn around p_hat cannot see
which strata those are and under-states the bias (the basic bootstrap this replaces covered a
true TVD in 18-66% of runs when the difference sat in two of 12-24 strata). TVD is directionally
but not fully differentiable at such points, so the interval follows the inference for
directionally differentiable functionals of Fang & Santos (2019, Review of Economic Studies 86(1),
377-412): estimate the derivative, here by deciding per stratum whether it may be tied (a
moment-selection threshold, Andrews & Soares 2010, Econometrica 78(1), 119-157, set by Bonferroni
over the strata so that all truly tied strata are kept with probability 1 - alpha), and bootstrap
the estimated derivative. Each end is then built to be valid whatever the truth:

- upper end (what the gate compares with fail_at for PASS): TVD = max over stratum sets A of
  p(A) - q(A), so TVD(p_hat, q_hat) >= p_hat(A*) - q_hat(A*) for the true maximiser A*, an unbiased
  difference of two proportions. The upper end is the plug-in plus the Wald margin of that
  difference at A_hat = {d_hat > 0}; it needs no guess about ties, and it over-covers by exactly
  the tie bias, which no statistic can separate from a small spread difference at these sizes;
- lower end: the plug-in minus the (1 - alpha/2) quantile of the bootstrapped derivative, which
  is |noise| in possibly tied strata (each tie's full bias) and sign(d_hat) * noise elsewhere.

Measured coverage at 95% over 300-2,000 rows, 2-24 strata, true TVD 0-0.2, concentrated in two
strata or spread over all: 0.93-1.00 (tests/calibration/test_power_tvd.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtri

from airflow_evalguard.stats.mix import shares, tvd


@dataclass(frozen=True)
class TvdInterval:
    point: float  # 2 * plug-in - mean of the resampled TVDs (bootstrap bias correction), within [low, high]
    low: float
    high: float
    plugin: float
    possibly_tied: int  # strata whose difference is within the tie threshold of 0


def tie_threshold(strata: int, alpha: float) -> float:
    """z beyond which a stratum's difference is taken as real: Bonferroni over `strata`, so every
    truly tied stratum stays within it with probability at least 1 - alpha."""
    return float(ndtri(1 - alpha / (2 * max(strata, 1))))


def possibly_tied(sample_counts: np.ndarray, ref_counts: np.ndarray, alpha: float) -> NDArray[np.bool_]:
    """Strata whose share difference is within `tie_threshold` null standard errors of 0 (the
    pooled-share standard error of a two-sample test of proportions)."""
    n, m = float(np.sum(sample_counts)), float(np.sum(ref_counts))
    difference = shares(sample_counts) - shares(ref_counts)
    pooled = (np.asarray(sample_counts, dtype=float) + ref_counts) / (n + m)
    null_se = np.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m))
    with_traffic = int(np.sum(pooled > 0))
    tied: NDArray[np.bool_] = np.abs(difference) <= tie_threshold(with_traffic, alpha) * null_se
    return tied


def tvd_upper(sample_counts: np.ndarray, ref_counts: np.ndarray, alpha: float) -> NDArray[np.float64]:
    """Upper (1 - alpha/2) end for each row of `sample_counts` (shape (..., K)): the plug-in plus
    z * se(p_hat(A) - q_hat(A)) at A = {d_hat > 0} (the largest reference stratum when the shares
    agree exactly). Closed form, so sample-size searches can simulate it cheaply."""
    counts = np.asarray(sample_counts, dtype=float)
    n = counts.sum(axis=-1)
    m = float(np.sum(ref_counts))
    p_hat, q_hat = shares(counts), shares(ref_counts)
    difference = p_hat - q_hat
    in_a = difference > 0
    fallback = np.zeros_like(in_a)
    fallback[..., int(np.argmax(q_hat))] = True
    in_a = np.where(in_a.any(axis=-1, keepdims=True), in_a, fallback)
    p_a, q_a = (p_hat * in_a).sum(axis=-1), (q_hat * in_a).sum(axis=-1)
    margin = float(ndtri(1 - alpha / 2)) * np.sqrt(p_a * (1 - p_a) / n + q_a * (1 - q_a) / m)
    upper: NDArray[np.float64] = np.minimum(tvd(p_hat, q_hat) + margin, 1.0)
    return upper


def tvd_interval(
    sample_counts: np.ndarray,
    ref_counts: np.ndarray,
    sample_draws: np.ndarray,
    ref_draws: np.ndarray,
    alpha: float,
) -> TvdInterval:
    """The two-sided (1 - alpha) interval from multinomial resampled shares of both inputs
    (`sample_draws`, `ref_draws`: shape (n_boot, K), each row summing to 1)."""
    p_hat, q_hat = shares(sample_counts), shares(ref_counts)
    difference = p_hat - q_hat
    plugin = float(tvd(p_hat, q_hat))
    noise = (sample_draws - p_hat) - (ref_draws - q_hat)
    tied = possibly_tied(sample_counts, ref_counts, alpha)
    # Fang & Santos's derivative at d_hat: |h| where the stratum may be tied, sign(d) * h elsewhere.
    derivative = 0.5 * np.where(tied, np.abs(noise), np.sign(difference) * noise).sum(axis=-1)
    high = float(tvd_upper(sample_counts, ref_counts, alpha))
    low = min(max(plugin - float(np.quantile(derivative, 1 - alpha / 2)), 0.0), high)
    # The point keeps the bootstrap bias correction of docs/decisions/bias-corrected-tvd.md: the
    # derivative's mean would also subtract the full tie bias from strata that differ a little,
    # reading a real distance low, and the gate FAILs on the point.
    resampled = tvd(sample_draws, ref_draws)
    point = min(max(2 * plugin - float(np.mean(resampled)), low), high)
    return TvdInterval(point=point, low=low, high=high, plugin=plugin, possibly_tied=int(np.sum(tied)))
