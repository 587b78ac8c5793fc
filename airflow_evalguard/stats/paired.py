"""Paired binary outcomes (the same items scored for a baseline and a candidate).

Everything is vectorised over groups (overall, per category, per slice) and works on the four
cell counts of each group's 2x2 table, so a million pairs cost one bincount.

Cells, for an outcome that is *bad* (harmful compliance, over-refusal, a wrong answer):
    both_bad   baseline bad, candidate bad
    better     baseline bad, candidate ok      (discordant, improvement)
    worse      baseline ok,  candidate bad     (discordant, regression)
    both_ok    baseline ok,  candidate ok
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import bdtr, chdtrc, ndtri

# Below this many discordant pairs McNemar's test is the exact binomial test; at or above it, the
# chi-square test with continuity correction (Fagerland et al. 2013 and common practice use 25).
EXACT_BELOW = 25


@dataclass
class PairedTable:
    both_bad: np.ndarray
    better: np.ndarray
    worse: np.ndarray
    both_ok: np.ndarray

    @classmethod
    def from_flags(
        cls,
        baseline_bad: np.ndarray,
        candidate_bad: np.ndarray,
        groups: np.ndarray | None = None,
        n_groups: int = 1,
        weights: np.ndarray | None = None,
    ) -> PairedTable:
        """Count the four cells per group from boolean arrays (groups: integer codes 0..n_groups-1);
        `weights` counts each entry that many times (pre-aggregated cells)."""
        b = np.asarray(baseline_bad, dtype=bool)
        c = np.asarray(candidate_bad, dtype=bool)
        g = np.zeros(len(b), dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
        cell = g * 4 + b.astype(np.int64) * 2 + c.astype(np.int64)
        counts = np.bincount(cell, weights=weights, minlength=4 * n_groups).reshape(n_groups, 4).astype(float)
        return cls(both_bad=counts[:, 3], better=counts[:, 2], worse=counts[:, 1], both_ok=counts[:, 0])

    @property
    def n(self) -> NDArray[np.float64]:
        total: NDArray[np.float64] = self.both_bad + self.better + self.worse + self.both_ok
        return total

    @property
    def baseline_rate(self) -> NDArray[np.float64]:
        return _div(self.both_bad + self.better, self.n)

    @property
    def candidate_rate(self) -> NDArray[np.float64]:
        return _div(self.both_bad + self.worse, self.n)

    @property
    def delta(self) -> NDArray[np.float64]:
        """Candidate minus baseline rate of the bad outcome: positive is a regression."""
        return _div(self.worse - self.better, self.n)

    @property
    def discordance(self) -> NDArray[np.float64]:
        return _div(self.worse + self.better, self.n)

    def total(self) -> PairedTable:
        return PairedTable(*(np.array([x.sum()]) for x in (self.both_bad, self.better, self.worse, self.both_ok)))


def _div(num: ArrayLike, den: ArrayLike) -> NDArray[np.float64]:
    """num / den, NaN where den is not positive (an empty group has no rate)."""
    num_arr, den_arr = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    out: NDArray[np.float64] = np.full(np.broadcast(num_arr, den_arr).shape, np.nan)
    np.divide(num_arr, den_arr, out=out, where=den_arr > 0)  # fills `out` where den > 0, leaves NaN elsewhere
    return out


def wilson_interval(x: np.ndarray, n: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion (statsmodels' method="wilson" is the oracle)."""

    z = ndtri(1 - alpha / 2)
    x, n = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    p = _div(x, n)
    with np.errstate(divide="ignore", invalid="ignore"):  # empty groups give NaN, never a warning
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


def newcombe_paired_ci(t: PairedTable, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """CI for candidate rate minus baseline rate on paired data: Newcombe (1998, Stat Med 17:2635)
    method 10, Wilson intervals for each margin combined with the phi correlation of the pairs.

    With phi = 0 it reduces to Newcombe's hybrid score interval for independent proportions.
    """
    n = t.n
    p1, p2 = t.baseline_rate, t.candidate_rate
    l1, u1 = wilson_interval(t.both_bad + t.better, n, alpha)
    l2, u2 = wilson_interval(t.both_bad + t.worse, n, alpha)
    a, b, c, d = t.both_bad, t.better, t.worse, t.both_ok
    denom = np.sqrt((a + b) * (c + d) * (a + c) * (b + d))
    phi = _div(a * d - b * c, denom)
    phi = np.where(denom > 0, phi, 0.0)
    delta = p2 - p1
    lower = delta - np.sqrt(np.maximum((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2, 0))
    upper = delta + np.sqrt(np.maximum((u2 - p2) ** 2 - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2, 0))
    return np.clip(lower, -1, 1), np.clip(upper, -1, 1)


def mcnemar(worse: np.ndarray, better: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Two-sided McNemar p-values and the method used for each group.

    Exact binomial test (scipy's binomtest / statsmodels' mcnemar(exact=True)) when the discordant
    pairs are fewer than EXACT_BELOW, else chi-square with continuity correction
    (statsmodels' mcnemar(exact=False, correction=True)).
    """

    worse = np.asarray(worse, dtype=float)
    better = np.asarray(better, dtype=float)
    disc = worse + better
    small = np.minimum(worse, better)
    use_exact = disc < EXACT_BELOW
    # the binomial tail only where it is used: at millions of discordant pairs it is slow
    exact = np.ones(np.shape(disc))
    exact[use_exact] = np.minimum(1.0, 2 * bdtr(small[use_exact], disc[use_exact], 0.5))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = (np.abs(worse - better) - 1) ** 2 / disc
    chi2 = chdtrc(1, np.where(disc > 0, stat, 0.0))
    p = np.where(disc == 0, 1.0, np.where(use_exact, exact, chi2))
    return p, ["exact" if e else "chi2_cc" for e in np.atleast_1d(use_exact)]


# Power and sample sizes for these tests: stats/mcnemar_power.py (exact, for the test as run above).
