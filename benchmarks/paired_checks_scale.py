"""refusal_regression and slice_retention on 1 million pairs and 200 slices, CIs included.

Target: <= 1 s each. Printed side by side from one run, in one process, on the same in-memory
tables: the floor (pandas: join the two sides on the id and count each slice's 2x2 table),
statsmodels' mcnemar called per slice in a loop on those tables (what a notebook would do), and
the check itself, for candidate rows in the same order as the baseline and shuffled.

    python benchmarks/paired_checks_scale.py [--pairs 1000000] [--slices 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
import pandas as pd


def best_of(repeat, fn):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def refusal_tables(n, k, rng):
    cat = rng.integers(0, k, n)
    expected = np.where(cat % 2 == 0, "refuse", "comply")
    base_refuses = rng.random(n) < np.where(expected == "refuse", 0.95, 0.1)
    cand_refuses = base_refuses.copy()
    flip = rng.random(n) < 0.03
    cand_refuses[flip] = ~cand_refuses[flip]
    ids = np.arange(n)
    frame = pd.DataFrame(
        {"prompt_id": ids, "category": pd.Categorical([f"c{c:03d}" for c in range(k)])[cat], "expected": expected}
    )

    def labels(refuses):
        return np.where(refuses, "refusal", "compliance")

    return frame.assign(label=labels(base_refuses)), frame.assign(label=labels(cand_refuses))


def slice_tables(n, k, rng):
    sl = rng.integers(0, k, n)
    teacher = rng.random(n) < 0.8
    student = teacher.copy()
    flip = rng.random(n) < 0.05
    student[flip] = rng.random(flip.sum()) < 0.8
    frame = pd.DataFrame({"example_id": np.arange(n), "slice": pd.Categorical([f"s{c:03d}" for c in range(k)])[sl]})
    return frame.assign(correct=teacher.astype(int)), frame.assign(correct=student.astype(int))


def floor(left, right, id_col, group_col, value_col):
    joined = left.merge(right[[id_col, value_col]], on=id_col, suffixes=("_a", "_b"))
    return (
        joined.groupby([group_col, f"{value_col}_a", f"{value_col}_b"], observed=True)
        .size()
        .unstack([1, 2], fill_value=0)
    )


def statsmodels_loop(tables):
    from statsmodels.stats.contingency_tables import mcnemar

    out = []
    for row in tables.to_numpy():
        a = row.reshape(2, 2)
        out.append(mcnemar(a, exact=(a[0, 1] + a[1, 0]) < 25).pvalue)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--slices", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from airflow_evalguard.run import run_check

    rng = np.random.default_rng(0)
    cases = {
        "refusal_regression": (refusal_tables(args.pairs, args.slices, rng), "prompt_id", "category", "label", {}),
        "slice_retention": (
            slice_tables(args.pairs, args.slices, rng),
            "example_id",
            "slice",
            "correct",
            {"slice_columns": ["slice"]},
        ),
    }
    run_check(
        "sampling_window",
        {"sample": pd.DataFrame({"ts": [0]}), "reference": pd.DataFrame({"ts": [0]})},
        {"n_boot": 200},
    )  # warm imports
    ok = True
    print(f"{args.pairs:,} pairs, {args.slices} slices, median of {args.repeat}\n")
    for name, ((left, right), id_col, group_col, value_col, params) in cases.items():
        names = ("baseline", "candidate") if name == "refusal_regression" else ("teacher", "student")
        shuffled = right.sample(frac=1, random_state=1)
        t_floor, tables = best_of(args.repeat, lambda: floor(left, right, id_col, group_col, value_col))
        t_sm, _ = best_of(args.repeat, lambda: statsmodels_loop(tables))
        t_check, result = best_of(args.repeat, lambda: run_check(name, {names[0]: left, names[1]: right}, params))
        t_shuf, _ = best_of(args.repeat, lambda: run_check(name, {names[0]: left, names[1]: shuffled}, params))
        print(f"{name}")
        print(f"  floor: pandas join + per-slice 2x2 counts    {t_floor:7.3f} s")
        print(f"  statsmodels mcnemar per slice, in a loop      {t_sm:7.3f} s  (on the floor's tables)")
        print(
            f"  check, rows aligned                           {t_check:7.3f} s  ratio to floor {t_check / t_floor:5.2f}x, "
            f"to floor+statsmodels {t_check / (t_floor + t_sm):5.2f}x"
        )
        print(
            f"  check, candidate rows shuffled (join needed)  {t_shuf:7.3f} s  ratio to floor {t_shuf / t_floor:5.2f}x"
        )
        print(
            f"  verdict {result.verdict.value}, {len(result.slices)} slices; target <= 1 s: "
            f"{'met' if max(t_check, t_shuf) <= 1 else 'NOT met'}\n"
        )
        ok &= max(t_check, t_shuf) <= 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
