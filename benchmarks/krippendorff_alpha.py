"""Krippendorff's alpha on 100,000 items x 5 labelers with 10% of ratings missing.

Target: point estimate + bootstrap CI (1,000 resamples over items) <= 5 s. Printed side by side
from one run on the same ratings: our point estimate alone, the `krippendorff` package's point
estimate (the reference implementation; it has no bootstrap), and ours with the bootstrap CI.
The bootstrap resamples per-item sufficient statistics (distinct coincidence profiles), not the
ratings; a naive loop re-running the package per resample is extrapolated from 3 resamples.

    python benchmarks/krippendorff_alpha.py [--items 100000] [--labelers 5] [--boot 1000]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def best_of(repeat, fn):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--labelers", type=int, default=5)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import krippendorff

    from airflow_evalguard.stats.krippendorff import alpha_from_long

    rng = np.random.default_rng(0)
    truth = rng.integers(1, 6, args.items)
    data = np.clip(truth[None, :] + rng.integers(-1, 2, (args.labelers, args.items)), 1, 5).astype(float)
    data[rng.random(data.shape) < 0.10] = np.nan
    items = np.tile(np.arange(args.items), args.labelers)
    labels = data.ravel()
    print(
        f"{args.items:,} items x {args.labelers} labelers, {np.isnan(data).mean():.0%} missing, "
        f"{args.boot:,} bootstrap resamples"
    )
    print(
        f"{'level':<9} {'ours point':>11} {'package point':>14} {'ratio':>6} {'ours + CI':>10} {'naive boot':>11}  "
        f"{'alpha':>7} {'CI':>17}"
    )
    alpha_from_long(items[:1000], labels[:1000], "nominal", n_boot=10)  # warm-up: imports, first-call costs
    for level in ("nominal", "ordinal", "interval"):
        t_ours, est = best_of(args.repeat, lambda: alpha_from_long(items, labels, level))
        t_pkg, ref = best_of(args.repeat, lambda: krippendorff.alpha(reliability_data=data, level_of_measurement=level))
        t_ci, full = best_of(args.repeat, lambda: alpha_from_long(items, labels, level, n_boot=args.boot, seed=1))
        assert abs(est.value - ref) < 1e-9, (est.value, ref)

        def naive_three():
            for _ in range(3):
                pick = rng.integers(0, args.items, args.items)
                krippendorff.alpha(reliability_data=data[:, pick], level_of_measurement=level)

        t_naive3, _ = best_of(1, naive_three)
        naive = t_naive3 / 3 * args.boot
        print(
            f"{level:<9} {t_ours:>10.3f}s {t_pkg:>13.3f}s {t_pkg / t_ours:>5.1f}x {t_ci:>9.3f}s {naive:>10.0f}s  "
            f"{full.value:>7.4f} [{full.ci_low:.4f}, {full.ci_high:.4f}]"
        )
    print(
        "ratio = package time / our time for the point estimate (above 1: ours is faster); "
        "target for 'ours + CI': <= 5 s"
    )


if __name__ == "__main__":
    main()
