"""A confidence interval for the total variation distance between a sample's mix and a reference's
that keeps its coverage where the distance is not smooth: strata in which the two mixes agree.

The plug-in TVD(p_hat, q_hat) = 0.5 * sum |d_hat_k| (d = p - q) is biased upwards by every stratum
where d_k = 0, since there |d_hat_k| = |noise_k| > 0; a bootstrap drawn around p_hat cannot see
which strata those are and under-states the bias (the basic bootstrap this replaces covered a
true TVD in 18-66% of runs when the difference sat in two of 12-24 strata). TVD is directionally
but not fully differentiable there, and no estimator is unbiased near such points (Hirano &
Porter 2012, Econometrica 80(4)), so each end is built to hold whatever strata tie:

- upper end (what the gate compares with fail_at for PASS): TVD = max over stratum sets A of
  p(A) - q(A), so the plug-in is at least p_hat(A*) - q_hat(A*) for a true maximiser A*, an
  unbiased difference of two proportions: the upper end is the plug-in plus an exact one-sided
  margin for that difference (`tvd_upper`). It subtracts no bias: at these sizes a tie and a
  small spread difference look alike, so it over-covers by the tie bias;
- lower end: the bootstrap of the estimated directional derivative of Fang & Santos (2019,
  Review of Economic Studies 86(1), 377-412): |noise| in strata that may be tied (each tie's full
  bias), sign(d_hat) * noise elsewhere. Which strata may be tied is a first step in the manner of
  Romano, Shaikh & Wolf (2014, Econometrica 82(5), 1979-2002): a Bonferroni two-proportion test
  per stratum at alpha/4, the bootstrap quantile at 1 - alpha/4, so a missed tie and the quantile
  share the end's alpha/2.

Measured coverage at 95% over 300-2,000 rows, 2-24 strata, true TVD 0-0.2, concentrated in two
strata or spread over all: 0.96-1.00 (tests/calibration/test_power_tvd.py; conservative where
few strata tie, docs/decisions/tvd-interval-at-ties.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import betaincinv, ndtri

from airflow_evalguard.stats.distances import shares, tvd


@dataclass(frozen=True)
class TvdInterval:
    point: float  # 2 * plug-in - mean of the resampled TVDs (bootstrap bias correction), within [low, high]
    low: float
    high: float
    plugin: float
    possibly_tied: int  # strata whose difference is within the tie threshold of 0


def tie_threshold(strata: NDArray[np.int64] | int, alpha: float) -> NDArray[np.float64]:
    """z beyond which a stratum's difference is taken as real: Bonferroni over `strata`, so every
    truly tied stratum stays within it with probability at least 1 - alpha."""
    threshold: NDArray[np.float64] = ndtri(1 - alpha / (2 * np.maximum(strata, 1)))
    return threshold


def tie_tolerance(sample_counts: np.ndarray, ref_counts: np.ndarray, alpha: float) -> NDArray[np.float64]:
    """Per stratum (rows of `sample_counts` on the last axis): how far from 0 a share difference
    may be and still be a tie, `tie_threshold` pooled-share standard errors of a two-sample test of
    proportions."""
    counts = np.asarray(sample_counts, dtype=float)
    n = counts.sum(axis=-1, keepdims=True)
    m = float(np.sum(ref_counts))
    pooled = (counts + ref_counts) / (n + m)
    null_se = np.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m))
    with_traffic = np.sum(pooled > 0, axis=-1, keepdims=True)
    tolerance: NDArray[np.float64] = tie_threshold(with_traffic, alpha) * null_se
    return tolerance


def possibly_tied(sample_counts: np.ndarray, ref_counts: np.ndarray, alpha: float) -> NDArray[np.bool_]:
    """Strata whose share difference is within `tie_tolerance` of 0."""
    difference = shares(np.asarray(sample_counts, dtype=float)) - shares(ref_counts)
    tied: NDArray[np.bool_] = np.abs(difference) <= tie_tolerance(sample_counts, ref_counts, alpha)
    return tied


def _clopper_pearson(
    share: NDArray[np.float64], n: NDArray[np.float64] | float, alpha: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One-sided (1 - alpha) exact ends of a binomial proportion (Clopper & Pearson 1934,
    Biometrika 26(4)), from beta quantiles: (lower, upper)."""
    successes = share * n
    with np.errstate(invalid="ignore"):
        lower = np.where(successes > 0, betaincinv(successes, n - successes + 1, alpha), 0.0)
        upper = np.where(successes < n, betaincinv(successes + 1, n - successes, 1 - alpha), 1.0)
    return lower, upper


def _widest_share(
    shares_: NDArray[np.float64], surely_in: NDArray[np.bool_], maybe_in: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """The share of a maximising set A* lies between that of the strata surely in it and that of
    the strata that may be in it; the share nearest 1/2 in that range has the widest margin."""
    low, high = (shares_ * surely_in).sum(axis=-1), (shares_ * maybe_in).sum(axis=-1)
    widest: NDArray[np.float64] = np.clip(0.5, low, high)
    return widest


def tvd_upper(sample_counts: np.ndarray, ref_counts: np.ndarray, alpha: float) -> NDArray[np.float64]:
    """Upper (1 - alpha/2) end for each row of `sample_counts` (shape (..., K)): the plug-in plus
    an upper margin for p(A*) - q(A*), A* = {d > 0} plus any tied strata. A* is unknown, so the
    margin is the widest over the sets between the strata clearly gaining and those not clearly
    losing (`tie_tolerance` at alpha/4); with the shares of a fixed A it would be too narrow when
    noise adds a stratum far from 1/2 (measured 4% misses at 150 rows). Each margin combines exact
    one-sided ends of p(A) and q(A) as Newcombe's (1998, Statistics in Medicine 17(8)) hybrid
    interval combines score ends; exact, because Wald's and Wilson's one-sided ends miss more than
    alpha/2 at shares far from 1/2 (Brown, Cai & DasGupta 2001, Statistical Science 16(2)).
    Closed form, so sample-size searches simulate it cheaply."""
    counts = np.asarray(sample_counts, dtype=float)
    n = counts.sum(axis=-1)
    m = float(np.sum(ref_counts))
    p_hat, q_hat = shares(counts), shares(ref_counts)
    difference = p_hat - q_hat
    tolerance = tie_tolerance(counts, ref_counts, alpha / 4)
    surely_in, maybe_in = difference > tolerance, difference >= -tolerance
    p_a, q_a = _widest_share(p_hat, surely_in, maybe_in), _widest_share(q_hat, surely_in, maybe_in)
    p_high = _clopper_pearson(p_a, n, alpha / 2)[1]
    q_low = _clopper_pearson(q_a, m, alpha / 2)[0]
    margin = np.sqrt((p_high - p_a) ** 2 + (q_a - q_low) ** 2)
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
    # Two steps (Romano, Shaikh & Wolf 2014): a tied stratum read as real would bring its whole
    # bias unaccounted, so the lower end's alpha/2 is split: alpha/4 to keep every tie, alpha/4
    # for the bootstrap quantile.
    tied = possibly_tied(sample_counts, ref_counts, alpha / 4)
    # Fang & Santos's derivative at d_hat: |h| where the stratum may be tied, sign(d) * h elsewhere.
    derivative = 0.5 * np.where(tied, np.abs(noise), np.sign(difference) * noise).sum(axis=-1)
    high = float(tvd_upper(sample_counts, ref_counts, alpha))
    low = min(max(plugin - float(np.quantile(derivative, 1 - alpha / 4)), 0.0), high)
    # The point keeps the bootstrap bias correction of docs/decisions/bias-corrected-tvd.md: the
    # derivative's mean would also subtract the full tie bias from strata that differ a little,
    # reading a real distance low, and the gate FAILs on the point.
    resampled = tvd(sample_draws, ref_draws)
    point = min(max(2 * plugin - float(np.mean(resampled)), low), high)
    return TvdInterval(point=point, low=low, high=high, plugin=plugin, possibly_tied=int(np.sum(tied)))
