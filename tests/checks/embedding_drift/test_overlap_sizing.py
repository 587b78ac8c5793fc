"""embedding_drift.overlap_sizing: the simulated power of the t interval against scipy's t interval
applied to explicit draws, and the stated size against the settled shares either side of it."""

import math

import numpy as np
import pytest
from scipy import stats

from airflow_evalguard.checks.embedding_drift import overlap_sizing
from airflow_evalguard.stats.paired_t_power import paired_t_pairs_needed

# A pilot of per-probe overlaps: most keep their neighbours, a few lose many (skewed, bounded).
PILOT = np.array([1.0, 1.0, 0.82, 0.67, 1.0, 0.33, 0.54, 1.0])


def test_settled_share_counts_the_intervals_that_exclude_zero_or_end_below_fail_at():
    losses = 1 - PILOT
    n, fail_at, seed = 6, 0.3, 5
    drawn = np.random.default_rng(seed).choice(losses, size=(overlap_sizing.SIMULATIONS, n))
    settled = 0
    for row in drawn:  # scipy's t interval of the mean, one draw at a time
        # scipy gives NaN for a draw without spread; the check's interval is then the point itself
        spread = stats.sem(row)
        low, high = stats.t.interval(0.95, n - 1, loc=row.mean(), scale=spread) if spread > 0 else (row.mean(),) * 2
        settled += bool(low > 0 or high < fail_at)
    assert overlap_sizing.settled_share(losses, n, fail_at, 0.05, seed) == pytest.approx(settled / len(drawn))


def test_the_stated_size_is_the_first_that_reaches_80_percent():
    fail_at = 0.4
    n = overlap_sizing.probes_needed(PILOT, fail_at, alpha=0.05, seed=0)(1).n
    assert n is not None and n > len(PILOT)
    losses = 1 - PILOT
    spread = losses.mean() + (losses - losses.mean()) * math.sqrt(len(losses) / (len(losses) - 1))
    truth = overlap_sizing._shifted(spread, fail_at)
    assert truth.mean() == pytest.approx(fail_at) and truth.min() >= 0 and truth.max() <= 1
    assert overlap_sizing.settled_share(truth, n, fail_at, 0.05, 0) >= 0.8
    if n - 1 > len(PILOT):
        assert overlap_sizing.settled_share(truth, n - 1, fail_at, 0.05, 0) < 0.8


def test_past_the_resampling_range_the_noncentral_t_sizes(monkeypatch):
    """The fallback, reached here by lowering the range (with default bands a size past 2,000
    probes needs a loss of a few thousandths)."""
    monkeypatch.setattr(overlap_sizing, "RESAMPLED_UP_TO", 5)
    fail_at = 0.4
    n = overlap_sizing.probes_needed(PILOT, fail_at, alpha=0.05, seed=0)(1).n
    losses = 1 - PILOT
    spread = losses.mean() + (losses - losses.mean()) * math.sqrt(len(losses) / (len(losses) - 1))
    truth = overlap_sizing._shifted(spread, fail_at)
    expected = paired_t_pairs_needed(float(truth.mean()), sd=float(truth.std(ddof=1)), level=0.05)
    assert expected is not None and expected > 5 and n == max(expected, len(PILOT) + 1)


@pytest.mark.parametrize("pilot", [np.array([0.7]), np.array([0.8, 0.8, 0.8]), np.array([1.0, 1.0])])
def test_no_spread_states_no_size(pilot):
    size = overlap_sizing.probes_needed(pilot, 0.4, alpha=0.05, seed=0)(1)
    assert size.n is None and "no sample size would settle it" in size.words()
