"""How many probe items would settle an unsettled loss of neighbour overlap.

The loss 1 - overlap is judged on the t interval of the mean over probes: settled once the interval
excludes 0 (a shift shown) or ends below fail_at (none that fails). Per-probe overlaps are bounded
and skewed (many probes keep every neighbour, a few lose most), and at the few probes where the
loss is unsettled the t interval's power is far from the noncentral t's (measured: 11 probes reach
80% where the noncentral t says 15). So the power is simulated for the interval the check runs,
drawing probes from the observed per-probe losses moved by one constant so that their mean is
fail_at (kept in [0, 1]): the plug-in of the observed distribution, as a bootstrap power
calculation (Efron & Tibshirani 1993, An Introduction to the Bootstrap, sec. 25.5 on sample-size
by resampling). Past RESAMPLED_UP_TO probes the mean is close to normal and the noncentral t of
the observed spread is used instead (Owen 1965).

The pilot's spread is widened to its median-unbiased value before drawing: the sample variance is
unbiased on average, but its distribution is skewed right, so in most small pilots it falls below
the truth (at 6 probes in 58% of normal pilots), and a size sized on it under-powers more often
than it over-powers. Multiplying the variance by (k - 1) / median(chi2 with k - 1 df) for a pilot of
k probes makes it exceed the truth in half of the pilots: the 50% upper confidence limit of Browne
(1995, Statistics in Medicine 14:1933-1940, "On the use of a pilot sample for sample size
determination"; Kieser & Wassmer 1996, Biometrical Journal 38:941-949). The factor fades with the
pilot (x1.15 on the variance at 6 probes, x1.08 at 10, x1.02 at 30). Measured (issue 17,
tests/calibration/test_power_embed_latency.py): from pilots of 6 probes the sizes stated reached
0.696 without it, 0.788 with it; from pilots of 10, 0.887 and 0.894.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy.special import chdtri, stdtrit

from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.stats.paired_t_power import paired_t_pairs_needed
from airflow_evalguard.stats.size_search import smallest_reaching

POWER = 0.8
SIMULATIONS = 2000  # the power at one n is read to about +-0.9%
RESAMPLED_UP_TO = 2000  # probes; beyond, the noncentral t (skewness no longer matters)
MAX_STATED = 10_000_000
METHOD = "t interval over probes, its power simulated from the observed per-probe losses"


def settled_share(losses: npt.NDArray[np.float64], n: int, fail_at: float, alpha: float, seed: int) -> float:
    """Share of SIMULATIONS draws of n probes from `losses` whose t interval of the mean loss
    excludes 0 or ends below fail_at (the gate rule settles both)."""
    rng = np.random.default_rng(seed)
    drawn = rng.choice(losses, size=(SIMULATIONS, n))
    mean = drawn.mean(axis=1)
    half = float(stdtrit(n - 1, 1 - alpha / 2)) * drawn.std(axis=1, ddof=1) / math.sqrt(n)
    return float(np.mean((mean - half > 0) | (mean + half < fail_at)))


def probes_needed(
    overlap: npt.NDArray[np.float64], fail_at: float, *, alpha: float, seed: int
) -> Callable[[int], SampleSize]:
    """Sizing of the loss for a true mean loss of fail_at, the observed losses' shape kept."""

    def size_for(_family: int) -> SampleSize:
        effect = f"a {fail_at:g} loss of neighbour overlap (fail_at)"
        return SampleSize(
            _needed(1.0 - np.asarray(overlap, float), fail_at, alpha, seed), "probe items", effect, POWER, METHOD
        )

    return size_for


def _needed(losses: npt.NDArray[np.float64], fail_at: float, alpha: float, seed: int) -> int | None:
    observed = len(losses)
    mean_loss = float(losses.mean()) if observed else math.nan
    if observed < 2 or not 0 < fail_at <= 1 or not mean_loss > 0 or not float(losses.std()) > 0:
        return None  # no spread to draw from: nothing to size (the interval is then a point)
    spread = mean_loss + (losses - mean_loss) * math.sqrt(median_unbiased_variance_factor(observed))
    truth = _shifted(spread, fail_at)
    guess = paired_t_pairs_needed(float(truth.mean()), sd=float(truth.std(ddof=1)), level=alpha)
    if guess is None or guess > MAX_STATED:
        return None
    if guess > RESAMPLED_UP_TO:
        return max(guess, observed + 1)

    def reaches(n: int) -> bool:
        return settled_share(truth, n, fail_at, alpha, seed) >= POWER

    found = smallest_reaching(reaches, start=max(guess, 2), below=1, limit=RESAMPLED_UP_TO)
    return max(found if found is not None else guess, observed + 1)


def median_unbiased_variance_factor(observed: int) -> float:
    """What the plug-in variance of `observed` values (mean square about their mean) is multiplied by
    to give the median-unbiased variance (module doc): n / (n - 1) makes it the unbiased one, and
    (n - 1) / median(chi2 on n - 1 df) moves it from mean- to median-unbiased."""
    degrees = observed - 1
    return observed / degrees * degrees / float(chdtri(degrees, 0.5))


def _shifted(losses: npt.NDArray[np.float64], target: float) -> npt.NDArray[np.float64]:
    """The losses moved by one constant, kept in [0, 1], so that their mean is `target` (bisection)."""
    low, high = -1.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        if np.clip(losses + middle, 0.0, 1.0).mean() < target:
            low = middle
        else:
            high = middle
    return np.clip(losses + high, 0.0, 1.0)
