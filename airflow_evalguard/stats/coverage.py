"""Coverage of a reference mix by a sample: how much reference mass sits in strata the sample
holds enough rows of, whether a shortfall is real, and how many rows would be enough."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import bdtrc

from airflow_evalguard.stats.mix import shares, tvd


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


def n_to_cover(ref_counts: np.ndarray, min_count: int, min_coverage: float, n_max: int = 10**9) -> int | None:
    """Smallest n whose representative sample is expected to reach `min_coverage`."""
    return _smallest_n(lambda n: expected_coverage(n, ref_counts, min_count) >= min_coverage, n_max)


def n_to_bound_tvd(
    ref_counts: np.ndarray, fail_at: float, alpha: float, *, seed: int, n_sim: int = 400, n_max: int = 10**8
) -> int | None:
    """Rows a representative sample needs before its TVD interval stops reaching `fail_at`.

    Taken as the (1 - alpha/2) quantile of the plug-in TVD of n/2 multinomial rows (sampling
    noise plus resampling noise, each of variance ~1/n), found by simulation against the
    reference mix itself. The check's bias-corrected (basic) interval reaches less far than this,
    so the figure errs towards more rows: "about N rows will do", never fewer.
    """
    q = shares(ref_counts)

    def bounded(n: int) -> bool:
        rng = np.random.default_rng(seed)
        half = max(1, n // 2)
        draws = rng.multinomial(half, q, size=n_sim) / half
        return float(np.quantile(tvd(draws, q), 1 - alpha / 2)) < fail_at

    return _smallest_n(bounded, n_max)


def _smallest_n(ok: Callable[[int], bool], n_max: int) -> int | None:
    """Smallest n in [1, n_max] with ok(n), assuming ok is monotone; None when none is."""
    hi = 8
    while not ok(hi):
        hi *= 2
        if hi > n_max:
            return None
    lo = hi // 2
    while hi - lo > max(1, lo // 50):  # 2% precision is plenty for "about N rows"
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi
