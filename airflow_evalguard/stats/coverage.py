"""Coverage of a reference mix by a sample: how much reference mass sits in strata the sample
holds enough rows of, whether a shortfall is real, and how many rows would be enough."""

from __future__ import annotations

import numpy as np
from scipy.special import bdtrc

from airflow_evalguard.stats.distances import shares
from airflow_evalguard.stats.size_search import smallest_reaching
from airflow_evalguard.stats.tvd_interval import tvd_upper


def coverage(sample_counts: np.ndarray, ref_counts: np.ndarray, min_count: int) -> float:
    """Reference share held by strata with at least `min_count` sample rows."""
    q = shares(ref_counts)
    return float(np.sum(q[np.asarray(sample_counts) >= min_count]))


def coverage_shortfall_p(
    observed: float, n: int, ref_counts: np.ndarray, min_count: int, *, n_sim: int, seed: int
) -> float:
    """Monte Carlo p-value of a coverage this low from a representative sample of n rows.

    Small samples cannot fill every stratum even when drawn from production itself; only a
    coverage below what such samples reach is evidence of a biased sampling window.
    """
    rng = np.random.default_rng(seed)
    q = shares(ref_counts)
    draws = rng.multinomial(int(n), q, size=n_sim)
    simulated = np.sum(np.where(draws >= min_count, q, 0.0), axis=1)
    return float((1 + np.sum(simulated <= observed + 1e-12)) / (n_sim + 1))


def expected_coverage(n: int, ref_counts: np.ndarray, min_count: int) -> float:

    q = shares(ref_counts)
    return float(np.sum(q * bdtrc(min_count - 1, int(n), q)))


def n_to_cover(
    ref_counts: np.ndarray,
    min_count: int,
    min_coverage: float,
    *,
    seed: int = 0,
    power: float = 0.8,
    n_sim: int = 1000,
    n_max: int = 10**9,
) -> int | None:
    """Smallest n whose representative sample reaches `min_coverage` with probability `power`
    (simulated on `n_sim` multinomial samples of the reference mix): the expected coverage,
    `expected_coverage`, says nothing of the odds that one sample reaches it."""
    q = shares(ref_counts)
    if not np.sum(q) > 0:
        return None

    def covered(n: int) -> bool:
        draws = np.random.default_rng(seed).multinomial(n, q, size=n_sim)
        reached = np.sum(np.where(draws >= min_count, q, 0.0), axis=1) >= min_coverage - 1e-12
        return float(np.mean(reached)) >= power

    return smallest_reaching(covered, start=8, below=4, limit=n_max, coarse_share=50)


def n_to_bound_tvd(
    ref_counts: np.ndarray,
    fail_at: float,
    alpha: float,
    *,
    seed: int,
    power: float = 0.8,
    n_sim: int = 1000,
    n_max: int = 10**8,
) -> int | None:
    """Rows a representative sample needs for its TVD interval to end below `fail_at` with
    probability `power`: the check's own upper end (`tvd_interval.tvd_upper`, closed form) simulated
    on `n_sim` multinomial samples of the reference mix at each candidate n. None when no n does
    (fail_at <= 0: the upper end is never below 0), so the check says so instead of a number.

    Sized for a true TVD of 0; a sample that really differs needs more rows to be bounded (or,
    differing enough, is settled by the mix test instead).
    """
    if not fail_at > 0:  # also NaN
        return None
    q = shares(ref_counts)

    def bounded(n: int) -> bool:
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(n, q, size=n_sim)
        return float(np.mean(tvd_upper(draws, ref_counts, alpha) < fail_at)) >= power

    return smallest_reaching(bounded, start=8, below=4, limit=n_max, coarse_share=50)
