"""Units a sample-ratio-mismatch test needs: the Pearson chi-square goodness-of-fit test of arm
counts against the expected split, at `alpha`, reaching `power` against a given true split.

Under a true split pi the statistic is asymptotically noncentral chi-square with k - 1 degrees of
freedom and noncentrality n * sum((pi_i - p_i)^2 / p_i) (Cohen 1988, Statistical Power Analysis,
ch. 7; scipy.stats.ncx2). At a strict alpha (SRM tests run at 0.001) that approximation is poor
when an arm expects few units: measured against exact enumeration it overstates the power by
0.02-0.03 when the smallest expected count is a few hundred and by up to 0.16 below 20. The rule:
the noncentral chi-square when the smallest expected count at its n is at least
`ASYMPTOTIC_MIN_EXPECTED`; otherwise the power of the test as run, exactly: binomial enumeration
for two arms, a seeded Monte Carlo of multinomial draws for more (sd of the power about 0.003).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.stats import binom, chi2, ncx2

ASYMPTOTIC_MIN_EXPECTED = 1000
DRAWS = 20_000
MAX_UNITS = 1 << 34


def asymptotic_power(n: int, expected: np.ndarray, true: np.ndarray, alpha: float) -> float:
    df = len(expected) - 1
    noncentrality = n * float(np.sum((true - expected) ** 2 / expected))
    return float(ncx2.sf(chi2.isf(alpha, df), df, noncentrality))


def exact_power(n: int, expected: np.ndarray, true: np.ndarray, alpha: float) -> float:
    """P(the chi-square test at alpha rejects) for counts ~ Multinomial(n, true): every outcome
    for two arms, DRAWS seeded draws for more. Rejects as the check does: p-value < alpha."""
    critical = chi2.isf(alpha, len(expected) - 1)
    if len(expected) == 2:
        first = np.arange(n + 1)
        statistic = (first - n * expected[0]) ** 2 / (n * expected[0] * expected[1])
        return float(binom.pmf(first, n, true[0])[statistic > critical].sum())
    counts = np.random.default_rng(0).multinomial(n, true, size=DRAWS)
    statistic = np.sum((counts - n * expected) ** 2 / (n * expected), axis=1)
    return float(np.mean(statistic > critical))


def _smallest(power_at: Callable[[int], float], power: float, start: int) -> int | None:
    """Smallest n with power_at(n) >= power (doubling, then bisection; the power grows with n
    up to the sawtooth of discrete counts)."""
    low, high = 1, max(start, 2)
    while power_at(high) < power:
        low, high = high, high * 2
        if high > MAX_UNITS:
            return None
    while low < high:
        middle = (low + high) // 2
        if power_at(middle) >= power:
            high = middle
        else:
            low = middle + 1
    return high


def units_needed(expected: np.ndarray, true: np.ndarray, alpha: float, power: float = 0.8) -> tuple[int | None, str]:
    """(units, the method that sized them) for the SRM test to reject `expected` with `power`
    when the split is really `true` (None: no size does, e.g. true == expected)."""
    expected, true = np.asarray(expected, dtype=float), np.asarray(true, dtype=float)
    if np.allclose(expected, true):
        return None, "noncentral chi-square"
    asymptotic = _smallest(lambda n: asymptotic_power(n, expected, true, alpha), power, 1024)
    if asymptotic is not None and asymptotic * expected.min() >= ASYMPTOTIC_MIN_EXPECTED:
        return asymptotic, "noncentral chi-square"
    how = "exact binomial enumeration" if len(expected) == 2 else f"Monte Carlo of {DRAWS:,} multinomial draws"
    return _smallest(lambda n: exact_power(n, expected, true, alpha), power, asymptotic or 1024), how
