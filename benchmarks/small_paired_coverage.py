"""Coverage of the paired score-shift interval at 5-200 items (issue 17; docs/decisions/small-paired-shifts.md).

For each regime of paired differences and item count it prints, over SIMS simulations of the 95%
interval: the paired t's coverage, the skewness-corrected t's (stats.skew_t) without any rule, and
what stats.paired_scores.paired_score_drops does with its rule (no interval below 10 items, or 5
non-zero differences on fewer than 200 items): the share of runs given an interval, the coverage of
those intervals, and 1 - P(an interval is given and misses), the rate at which the gate is not misled.

    python benchmarks/small_paired_coverage.py [sims]       # default 2000 per cell, about a minute
"""

from __future__ import annotations

import sys
import time

import numpy as np
from scipy.special import stdtrit

from airflow_evalguard.stats.paired_scores import paired_score_drops
from airflow_evalguard.stats.skew_t import skew_t_interval

ITEMS = (5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200)
CHANGES = np.array([-1, 0, 1, 2])  # a 1-5 judge score moves by this much (clipped to the scale)


def change_probabilities(unchanged: float) -> np.ndarray:
    # skewed like a judge that mostly agrees, sometimes scores higher (the calibration's 1-5 scenario)
    return np.array([0.2, 0, 0.6, 0.2]) * (1 - unchanged) + np.array([0, unchanged, 0, 0])


def integer_scores(unchanged: float):
    def draw(rng: np.random.Generator, items: int) -> np.ndarray:
        reference = rng.integers(1, 6, items)
        moved = np.clip(reference + rng.choice(CHANGES, items, p=change_probabilities(unchanged)), 1, 5)
        return (moved - reference).astype(float)

    truth = sum(
        p * (min(max(ref + c, 1), 5) - ref) / 5
        for ref in range(1, 6)
        for c, p in zip(CHANGES, change_probabilities(unchanged), strict=True)
    )
    return draw, float(truth)


REGIMES = {
    "normal (symmetric)": (lambda rng, k: rng.normal(0.3, 1, k), 0.3),
    "exponential": (lambda rng, k: rng.exponential(1, k), 1.0),
    "lognormal sigma 1": (lambda rng, k: rng.lognormal(0, 1, k), float(np.exp(0.5))),
    "lognormal sigma 1.5": (lambda rng, k: rng.lognormal(0, 1.5, k), float(np.exp(1.125))),
    "1-5 scores, 60% unchanged": integer_scores(0.6),
    "1-5 scores, 75% unchanged": integer_scores(0.75),
    "1-5 scores, 90% unchanged": integer_scores(0.9),
}


def cell(draw, truth: float, items: int, sims: int, rng: np.random.Generator) -> tuple[float, ...]:
    t_hits = skew_hits = given = given_hits = 0
    zeros, groups = np.zeros(items), np.zeros(items, dtype=np.int64)
    q = float(stdtrit(items - 1, 0.975))
    for _ in range(sims):
        diff = draw(rng, items)
        mean, half = diff.mean(), q * diff.std(ddof=1) / np.sqrt(items)
        t_hits += mean - half <= truth <= mean + half
        low, high = skew_t_interval(diff, 0.05) if np.ptp(diff) > 0 else (mean, mean)
        skew_hits += low <= truth <= high
        ruled = paired_score_drops(diff, zeros, groups, 1, alpha=0.05, n_boot=0, seed=0)
        if np.isfinite(ruled.ci_low[0]):
            given += 1
            given_hits += ruled.ci_low[0] <= truth <= ruled.ci_high[0]
    misled = (given - given_hits) / sims
    return t_hits / sims, skew_hits / sims, given / sims, given_hits / given if given else float("nan"), 1 - misled


def main(sims: int) -> None:
    rng = np.random.default_rng(17)
    started = time.perf_counter()
    print(f"{'regime':28s} {'items':>5s} {'t':>6s} {'skew-t':>6s} {'given':>6s} {'cov|given':>9s} {'not misled':>10s}")
    for name, (draw, truth) in REGIMES.items():
        for items in ITEMS:
            t_cov, skew_cov, given, covered, not_misled = cell(draw, truth, items, sims, rng)
            row = f"{name:28s} {items:5d} {t_cov:6.3f} {skew_cov:6.3f} {given:6.2f} {covered:9.3f} {not_misled:10.3f}"
            print(row)
    print(f"{sims} simulations per cell, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
