"""Calibration of sampling_window's TVD interval and of the sample sizes it states (issue 17).

Coverage: samples drawn from a known mix at a known TVD from the reference, the interval of
`stats.tvd_interval` (what the check runs, called directly so 400 runs per row stay cheap) must
contain the truth in at least 93% of runs. "concentrated": the whole difference moves into the
smallest stratum from as few of the largest as can give it, every other stratum tied exactly (the
case the old basic bootstrap covered 18-66% of the time); "spread": every stratum moves;
"one_gains": one stratum gains and all others shrink in proportion (the demo's cron window). The
upper bound is 100%, not 97%: each end is built to be valid whatever strata tie, so where few or
none tie the lower end over-covers (the price is printed as the mean width).

Stated sizes: a representative sample of exactly the stated n must settle the question (upper end
below fail_at, or coverage reached) in 75-90% of simulations, at 80% stated power.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.run import run_check
from airflow_evalguard.stats.coverage import coverage as covered_share
from airflow_evalguard.stats.coverage import n_to_bound_tvd, n_to_cover
from airflow_evalguard.stats.distances import shares, tvd
from airflow_evalguard.stats.mix import bootstrap_distances
from airflow_evalguard.stats.tvd_interval import tvd_upper
from tests.calibration.harness import coverage, stated_power

pytestmark = pytest.mark.slow
COVERAGE_SIMS = 400  # sd of a 95% rate ~1.1%
POWER_SIMS = 1000
REFERENCE_ROWS = 60_000


def reference(strata: int) -> np.ndarray:
    """A fixed, uneven production mix (a daily-profile shape), as counts of 60,000 rows."""
    if strata == 2:
        return np.array([0.65, 0.35]) * REFERENCE_ROWS
    level = np.arange(strata)
    profile = 1 + 0.6 * np.sin(2 * np.pi * (level + 0.5) / strata)
    return np.round(profile / profile.sum() * REFERENCE_ROWS)


def true_mix(q: np.ndarray, true_tvd: float, shape: str) -> np.ndarray:
    """A mix at exactly `true_tvd` from q."""
    mix = q.copy()
    if true_tvd == 0:
        return mix
    smallest = int(np.argmin(q))
    if shape == "concentrated":
        left = true_tvd
        for giver in np.argsort(-q):
            if giver != smallest and left > 1e-15:
                give = min(left, 0.6 * q[giver])
                mix[giver] -= give
                left -= give
        mix[smallest] += true_tvd
    elif shape == "one_gains":
        share = true_tvd / (1 - q[smallest])
        mix = (1 - share) * q + share * (np.arange(len(q)) == smallest)
    else:  # spread: towards the reversed profile, every stratum moves
        reversed_mix = q[::-1]
        mix = q + true_tvd / float(tvd(reversed_mix, q)) * (reversed_mix - q)
    assert float(tvd(mix, q)) == pytest.approx(true_tvd)
    return mix


CASES = [
    (n, strata, shape, true_tvd)
    for n in (300, 2000)
    for strata, shape, true_tvd in [
        *[(2, "concentrated", t) for t in (0.0, 0.02, 0.05, 0.2)],
        *[(24, "concentrated", t) for t in (0.0, 0.02, 0.05, 0.2)],
        *[(24, "spread", t) for t in (0.02, 0.05, 0.2)],
        (24, "one_gains", 0.1),
    ]
]


@pytest.mark.parametrize("n, strata, shape, true_tvd", CASES)
def test_tvd_interval_coverage(n, strata, shape, true_tvd):
    ref = reference(strata)
    mix = true_mix(shares(ref), true_tvd, shape)
    rng = np.random.default_rng(n + strata)
    hits, widths = [], []
    for seed in range(COVERAGE_SIMS):
        ci = bootstrap_distances(rng.multinomial(n, mix), ref, alpha=0.05, n_boot=1000, seed=seed)
        hits.append(ci.tvd_low <= true_tvd + 1e-12 and true_tvd - 1e-12 <= ci.tvd_high)
        widths.append(ci.tvd_high - ci.tvd_low)
    label = f"tvd n={n} K={strata} {shape} true {true_tvd} (width {np.mean(widths):.3f})"
    coverage("sampling_window", label, hits, low=0.93, high=1.0)


def _demo_hours() -> np.ndarray:
    from airflow_evalguard.demo.data import production_traffic, reference_counts

    counts = reference_counts(production_traffic(60_000, seed=7))
    return counts.groupby("hour_of_day")["count"].sum().to_numpy(dtype=float)


@pytest.mark.parametrize(
    "name, ref, fail_at",
    [
        ("uniform 24 hours", np.full(24, 2_500.0), 0.2),
        ("demo hour of day", None, 0.2),
        ("6 uneven levels", reference(6), 0.1),
    ],
)
def test_stated_rows_bound_the_tvd(name, ref, fail_at):
    ref = _demo_hours() if ref is None else ref
    stated = n_to_bound_tvd(ref, fail_at, 0.05, seed=0)
    draws = np.random.default_rng(99).multinomial(stated, shares(ref), size=POWER_SIMS)
    detected = list(tvd_upper(draws, ref, 0.05) < fail_at)
    stated_power("sampling_window", f"{name}, TVD bound < {fail_at}", stated, detected)


def test_stated_rows_reach_coverage():
    ref = _demo_hours()
    stated = n_to_cover(ref, 5, 0.95, seed=0)
    draws = np.random.default_rng(98).multinomial(stated, shares(ref), size=POWER_SIMS)
    detected = [covered_share(draw, ref, 5) >= 0.95 for draw in draws]
    stated_power("sampling_window", "demo hour of day, coverage 95%", stated, detected)


def _hour_rows(rng: np.random.Generator, counts: np.ndarray) -> pd.DataFrame:
    hours = np.repeat(np.arange(24), counts)
    stamps = pd.Timestamp("2026-06-01", tz="UTC") + pd.to_timedelta(hours * 3600 + 60, unit="s")
    return pd.DataFrame({"ts": rng.permutation(stamps)})


def test_the_checks_stated_rows_settle_it_end_to_end():
    """The whole check: 100 representative rows are INCONCLUSIVE; at the n_required it states,
    representative samples are settled (not INCONCLUSIVE) in 75-90% of runs."""
    ref = np.full(24, 2_500)
    reference_rows = _hour_rows(np.random.default_rng(0), ref)
    rng = np.random.default_rng(5)
    first = run_check(
        "sampling_window",
        {"sample": _hour_rows(rng, rng.multinomial(100, shares(ref))), "reference": reference_rows},
        {},
    )
    assert first.verdict.value == "INCONCLUSIVE"
    stated = int(first.metrics["n_required"].value)
    settled = []
    for seed in range(200):
        sample = _hour_rows(rng, rng.multinomial(stated, shares(ref)))
        result = run_check(
            "sampling_window", {"sample": sample, "reference": reference_rows}, {"n_boot": 300, "seed": seed}
        )
        settled.append(result.verdict.value != "INCONCLUSIVE")
    stated_power("sampling_window", "run_check, uniform 24 hours from 100 rows", stated, settled)
