"""Power of the paired t test as slice_retention runs it on score slices, and its sizes.

Score slices are tested with the two-sided paired t test (`stats.paired_scores`; slices of at most
2,000 rows get a BCa interval, but their p-value is the same t test), significant when the
Holm-adjusted p is below alpha. With n pairs whose differences have standard deviation `sd`, the
t statistic of a true drop follows the noncentral t with n - 1 degrees of freedom and
noncentrality drop * sqrt(n) / sd, so the power to reject in the regression direction is
P(T > t_{1 - level/2, n - 1}) (exact for normal differences; scipy.stats.nct). Unlike the normal
formula it replaces (z_alpha + z_beta) * sd / sqrt(n), it charges small slices for estimating sd.

References:
- Student (1908) The probable error of a mean. Biometrika 6:1-25.
- Owen DB (1965) A special case of a bivariate non-central t-distribution. Biometrika 52:437-446
  (power of the t test through the noncentral t).
- Julious SA (2004) Sample sizes for clinical trials with normal data. Stat Med 23:1921-1986.

Example (sd 0.05, 100 pairs, two-sided 0.05: a 1.41-point drop has 80% power; the normal
formula with a one-sided alpha said 1.24):

>>> round(paired_t_min_detectable(100, sd=0.05, level=0.05), 4)
0.0141
>>> paired_t_pairs_needed(0.0142, sd=0.05, level=0.05)
100
"""

from __future__ import annotations

import math

from scipy.optimize import brentq
from scipy.stats import nct
from scipy.stats import t as student_t

from airflow_evalguard.stats.mcnemar_power import MAX_PAIRS, TARGET_POWER
from airflow_evalguard.stats.size_search import smallest_reaching

# how a stated size was computed, for messages (the caller appends the level it used)
METHOD_WORDS = "noncentral-t power of the paired t test, two-sided at level"


def paired_t_power(pairs: int, *, drop: float, sd: float, level: float) -> float:
    """Power of the two-sided paired t test at `level` to find a true mean drop `drop` > 0."""
    if pairs < 2 or not sd > 0:
        return 0.0
    freedom = pairs - 1
    return float(nct.sf(student_t.isf(level / 2, freedom), freedom, drop * math.sqrt(pairs) / sd))


def _valid(sd: float, level: float) -> bool:
    return math.isfinite(sd) and sd > 0 and 0 < level < 1


def paired_t_pairs_needed(drop: float, *, sd: float, level: float, power: float = TARGET_POWER) -> int | None:
    """The smallest n whose power reaches `power` (power rises with n: no saw-tooth to guard).

    None for a drop that is not positive and finite, a spread that is not, or n beyond MAX_PAIRS.
    """
    if not (math.isfinite(drop) and drop > 0 and _valid(sd, level)):
        return None

    def reaches(size: int) -> bool:
        return paired_t_power(size, drop=drop, sd=sd, level=level) >= power

    return smallest_reaching(reaches, start=2, below=1, limit=MAX_PAIRS)


def paired_t_min_detectable(pairs: int, *, sd: float, level: float, power: float = TARGET_POWER) -> float | None:
    """The drop detected with `power` by `pairs` pairs; None below 2 pairs or without spread."""
    if pairs < 2 or not _valid(sd, level):
        return None
    # power rises from level/2 at no drop to 1; a drop of 64 sd / sqrt(n) is far past any target
    ceiling = 64 * sd / math.sqrt(pairs) * (1 + 40 / pairs)
    return float(brentq(lambda drop: paired_t_power(pairs, drop=drop, sd=sd, level=level) - power, 0.0, ceiling))
