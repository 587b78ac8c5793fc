"""Exact power of McNemar's test as the paired gates run it, and the sizes that follow from it.

refusal_regression and slice_retention test each paired 2x2 table with `stats.paired.mcnemar`:
two-sided, the exact conditional binomial test below `EXACT_BELOW` discordant pairs and the
chi-square test with continuity correction at or above it, significant when the Holm-adjusted p
is below alpha. Connor's (1987) sample size is the asymptotic normal approximation of a one-sided
test and over-promises badly on small slices (a 20-pair slice: "detectable drop 11.7%" had 2.3%
power under the test as run). Here the power is exact: with n pairs, worse-rate p01 (baseline ok,
candidate bad) and better-rate p10, the discordant count D is Binomial(n, p01 + p10) and, given D,
the worse count is Binomial(D, p01 / (p01 + p10)) (Lachin 1992), so

    power(n) = sum_D P(D) * P(worse >= floor(D) | D),

where floor(D) is the fewest worse pairs at which the check's own p-value function rejects in the
regression direction at that D (exact below the switch, chi-square above). No simulation.

Sizes. The discordance assumption is the checks' own: the discordance observed over all pairs,
raised to the drop when the drop exceeds it (then every discordant pair is a loss, the least
discordance such a drop allows). Exact power is saw-toothed in n (Chernick & Liu 2002), so
`pairs_needed` states the smallest n from which power stays at or above the target over every n
up to a quarter more (at least 10 sizes further; at most `STAY_WINDOW`, fewer for sizes in the
hundreds of thousands, where the chi-square regime has smoothed the saw-tooth away). `min_detectable_drop` is the
smallest drop reaching the target at a given n (power rises with the drop under this assumption).
None means no size or drop reaches the target: an effect outside (0, 1], no finite discordance,
a slice too small to detect even a total loss, or more than `MAX_PAIRS` pairs.

References:
- McNemar Q (1947) Note on the sampling error of the difference between correlated proportions
  or percentages. Psychometrika 12:153-157.
- Connor RJ (1987) Sample size for testing differences in proportions for the paired-sample
  design. Biometrics 43:207-211 (asymptotic; used here only as the search's first guess).
- Lachin JM (1992) Power and sample size evaluation for the McNemar test with application to
  matched case-control studies. Statistics in Medicine 11:1239-1251 (exact unconditional power).
- Fagerland MW, Lydersen S, Laake P (2013) The McNemar test for binary matched-pairs data:
  mid-p and asymptotic are better than exact conditional. BMC Med Res Methodol 13:91.
- Chernick MR, Liu CY (2002) The saw-toothed behavior of power versus sample size and software
  solutions. The American Statistician 56:149-155.

Example (the published 0.37 for 100 pairs at 2% better / 8% worse, two-sided alpha 0.05):

>>> round(mcnemar_power(100, worse_rate=0.08, better_rate=0.02, level=0.05), 3)
0.362
>>> pairs_needed(0.06, discordance=0.10, level=0.05)
231
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from scipy.special import bdtrc, gammaln, ndtri, xlog1py, xlogy
from scipy.stats import binom, chi2

from airflow_evalguard.stats.paired import EXACT_BELOW, mcnemar
from airflow_evalguard.stats.size_search import smallest_reaching

TARGET_POWER = 0.8
MAX_PAIRS = 10_000_000  # beyond this no eval set is realistic: say no size settles it
STAY_WINDOW = 1_000  # sizes checked past a stated n for the saw-tooth (see module docstring)
_STAY_BUDGET = 4_000_000  # binomial terms the saw-tooth check may evaluate (keeps it under a second)
_TAIL_LOG = 37.0  # D's left out carry less than exp(-37) ~ 1e-16 of the mass on each side
_FLOOR_TABLE_MAX = 1 << 17  # floors tabulated (and cached per level) below this many discordant pairs
_DROP_TOLERANCE = 1e-5

# how a stated size was computed, for messages (the caller appends the level it used)
METHOD_WORDS = (
    f"exact McNemar power (exact binomial below {EXACT_BELOW} discordant pairs, chi-square with "
    "continuity correction above), two-sided at level"
)


@dataclass(frozen=True)
class PairedAlternative:
    """The discordance rates a size is computed for: worse (baseline ok, candidate bad), better."""

    worse_rate: float
    better_rate: float

    @classmethod
    def for_drop(cls, drop: float, discordance: float) -> PairedAlternative | None:
        """The checks' assumption: observed discordance, raised to the drop when it is smaller."""
        if not (math.isfinite(drop) and math.isfinite(discordance)) or not 0 < drop <= 1:
            return None
        total = min(max(discordance, drop), 1.0)
        return cls((total + drop) / 2, (total - drop) / 2)

    @property
    def discordance(self) -> float:
        return self.worse_rate + self.better_rate


def _rejects(worse: NDArray[np.int64], discordant: NDArray[np.int64], level: float) -> NDArray[np.bool_]:
    """Whether the check's McNemar rejects, in the regression direction, with `worse` of `discordant`."""
    inside = (worse <= discordant) & (2 * worse > discordant)
    clipped = np.clip(worse, 0, discordant)
    p_values, _ = mcnemar(clipped, discordant - clipped)
    rejects: NDArray[np.bool_] = inside & (p_values < level)
    return rejects


def rejection_floor(discordant: NDArray[np.int64], level: float) -> NDArray[np.int64]:
    """Per discordant count D: the fewest worse pairs at which the test rejects; D + 1 if none.

    Closed forms give the candidate (the binomial quantile below the switch, the root of
    (2w - D - 1)^2 / D = chi2 critical value above); the check's p-value function then settles the
    boundary, so float rounding can never move the floor off the test as run.
    """
    count = np.asarray(discordant, dtype=np.int64)
    guess = np.floor((count + 1 + np.sqrt(chi2.isf(level, 1) * count)) / 2) + 1
    exact = count < EXACT_BELOW
    guess[exact] = count[exact] - binom.ppf(level / 2, count[exact], 0.5) + 1
    floor: NDArray[np.int64] = np.clip(np.nan_to_num(guess, nan=0.0), count // 2 + 1, count + 1).astype(np.int64)
    for _ in range(64):  # rejection is monotone in w above D/2; the guess is off by at most a few
        step_down = _rejects(floor - 1, count, level)
        step_up = ~_rejects(floor, count, level) & (floor <= count)
        if not (step_down.any() or step_up.any()):
            return floor
        floor = floor - step_down + step_up
    raise RuntimeError("McNemar rejection floor did not settle")  # pragma: no cover - monotone test


@lru_cache(maxsize=16)
def _floor_table(level: float, size: int) -> NDArray[np.int64]:
    """Floors for D = 0..size-1 (they depend on the level only, so every size and drop shares them)."""
    table = rejection_floor(np.arange(size, dtype=np.int64), level)
    table.setflags(write=False)
    return table


def _floors(counts: NDArray[np.int64], level: float) -> NDArray[np.int64]:
    largest = int(counts.max())
    if largest >= _FLOOR_TABLE_MAX:
        return rejection_floor(counts, level)
    size = 1 << max(largest, 255).bit_length()  # a power of two: few distinct tables per level
    floors: NDArray[np.int64] = _floor_table(level, size)[counts]
    return floors


def _discordant_range(pairs: int, rate: float) -> tuple[int, int]:
    """D's outside this range carry less than _TAIL of the mass (Bernstein's inequality)."""
    if rate >= 1:
        return pairs, pairs
    mean = pairs * rate
    reach = _TAIL_LOG / 3 + math.sqrt((_TAIL_LOG / 3) ** 2 + 2 * _TAIL_LOG * mean * (1 - rate)) + 1
    return max(int(mean - reach), 0), min(int(math.ceil(mean + reach)), pairs)


def _binomial_pmf(count: NDArray[np.int64], size: int, rate: float) -> NDArray[np.float64]:
    # scipy.stats.binom.pmf without its per-call argument checks, which dominate at these sizes
    log_pmf = gammaln(size + 1) - gammaln(count + 1) - gammaln(size - count + 1)
    pmf: NDArray[np.float64] = np.exp(log_pmf + xlogy(count, rate) + xlog1py(size - count, -rate))
    return pmf


def power_curve(pairs: NDArray[np.int64], alternative: PairedAlternative, level: float) -> NDArray[np.float64]:
    """Exact power at each size in `pairs` (conditional rejection computed once for all of them)."""
    sizes = np.asarray(pairs, dtype=np.int64)
    rate = alternative.discordance
    out = np.zeros(len(sizes))
    if rate <= 0 or not len(sizes):
        return out
    low = _discordant_range(int(sizes.min()), rate)[0]
    high = _discordant_range(int(sizes.max()), rate)[1]
    counts = np.arange(low, high + 1, dtype=np.int64)
    share_worse = min(alternative.worse_rate / rate, 1.0)
    given = bdtrc(_floors(counts, level) - 1, counts, share_worse)  # P(worse >= floor | D)
    for index, size in enumerate(sizes):
        first, last = _discordant_range(int(size), rate)
        window = slice(first - low, last - low + 1)
        out[index] = float(np.dot(_binomial_pmf(counts[window], int(size), rate), given[window]))
    return np.clip(out, 0.0, 1.0)


def mcnemar_power(pairs: int, *, worse_rate: float, better_rate: float, level: float) -> float:
    """Exact power of the check's McNemar test with `pairs` pairs at significance `level`."""
    if pairs < 1:
        return 0.0
    alternative = PairedAlternative(worse_rate, better_rate)
    return float(power_curve(np.array([pairs]), alternative, level)[0])


def _connor_guess(alternative: PairedAlternative, level: float, power: float) -> int:
    """Connor's (1987) asymptotic size at the two-sided `level`: where the exact search starts."""
    drop, total = alternative.worse_rate - alternative.better_rate, alternative.discordance
    root = ndtri(1 - level / 2) * math.sqrt(total) + ndtri(power) * math.sqrt(max(total - drop * drop, 0.0))
    return max(int(math.ceil(root * root / (drop * drop))), 1)


def _first_crossing(alternative: PairedAlternative, level: float, power: float) -> int | None:
    """A size with power >= `power` whose predecessor falls short (doubling, then bisection)."""

    def reaches(size: int) -> bool:
        return bool(power_curve(np.array([size]), alternative, level)[0] >= power)

    return smallest_reaching(reaches, start=_connor_guess(alternative, level, power), limit=MAX_PAIRS)


@lru_cache(maxsize=256)
def pairs_needed(drop: float, *, discordance: float, level: float, power: float = TARGET_POWER) -> int | None:
    """The smallest n from which the exact power to detect `drop` stays >= `power` (module docstring).

    `drop` is the rise in the bad outcome (a fall in accuracy), `discordance` the share of
    discordant pairs observed overall, `level` the significance level the member is judged at
    (alpha divided by its Holm family's size). None when no size up to MAX_PAIRS reaches `power`.
    """
    alternative = PairedAlternative.for_drop(drop, discordance)
    if alternative is None or not 0 < level < 1:
        return None
    size = _first_crossing(alternative, level, power)
    while size is not None and size <= MAX_PAIRS:
        terms = _discordant_range(size, alternative.discordance)
        ahead = min(max(10, size // 4), STAY_WINDOW, max(10, _STAY_BUDGET // (terms[1] - terms[0] + 1)))
        sizes = np.arange(size, size + ahead + 1)
        short = np.flatnonzero(power_curve(sizes, alternative, level) < power)
        if not short.size:
            return size
        size = int(sizes[short[-1]]) + 1
    return None


def min_detectable_drop(pairs: int, *, discordance: float, level: float, power: float = TARGET_POWER) -> float | None:
    """The smallest drop whose exact power with `pairs` pairs reaches `power` (to 1e-5, rounded up).

    None when even a total loss (every pair discordant and worse) is not detected that often, or
    the discordance is not a number.
    """
    if pairs < 1 or not 0 < level < 1 or not math.isfinite(discordance):
        return None

    def reaches(drop: float) -> bool:
        alternative = PairedAlternative.for_drop(drop, discordance)
        assert alternative is not None  # 0 < drop <= 1 and a finite discordance
        return bool(power_curve(np.array([pairs]), alternative, level)[0] >= power)

    if not reaches(1.0):
        return None
    low, high = 0.0, 1.0
    while high - low > _DROP_TOLERANCE:
        middle = (low + high) / 2
        if reaches(middle):
            high = middle
        else:
            low = middle
    return high
