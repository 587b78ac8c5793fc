"""sampling_window on 10 million sample rows and 3 dimensions from parquet, CIs included.

Floor: reading those four columns with pandas and counting each of them (value_counts); that is
the least any tool must do. Target: the check within 3x of the floor, peak RSS <= 2 GiB.
Each measurement runs in a fresh subprocess so its peak RSS is its own; both are printed side by
side, with their ratio, from the same run on the same file.

    python benchmarks/sampling_window_scale.py [--rows 10000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / ".data"

FLOOR = """
import json, sys, time, resource
import pandas as pd
path = sys.argv[1]
t0 = time.perf_counter()
df = pd.read_parquet(path, columns=["ts", "region", "source", "is_retry"])
counts = [df[c].value_counts() for c in ["region", "source", "is_retry"]] + [df["ts"].dt.hour.value_counts()]
elapsed = time.perf_counter() - t0
print(json.dumps({"s": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHECK = """
import json, sys, time, resource
import pandas as pd  # imported before timing in both runs: import cost is not the work
from airflow_evalguard.run import run_check
sample, reference = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
result = run_check("sampling_window", {"sample": sample, "reference": reference},
                   {"dimensions": ["region", "source", "is_retry"]})
elapsed = time.perf_counter() - t0
print(json.dumps({"s": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "verdict": result.verdict.value, "weights_rows": len(result.tables["weights"]),
                  "tvd_hour": result.metrics["tvd[hour_of_day]"].to_dict()}))
"""


def make_data(rows: int) -> tuple[Path, Path]:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    DATA.mkdir(exist_ok=True)
    sample, reference = DATA / f"sample_{rows}.parquet", DATA / "reference_counts.parquet"
    if sample.exists() and reference.exists():
        return sample, reference
    print(f"writing {rows:,} rows to {sample} ...", flush=True)
    rng = np.random.default_rng(0)
    regions = np.array(["us", "eu", "apac", "latam", "mea"])
    sources = np.array(["web", "api", "mobile", "batch"])
    writer = None
    chunk = 2_000_000
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        ts = pd.Timestamp("2026-10-01", tz="UTC").value // 1000 + rng.integers(0, 14 * 86400 * 10**6, n)
        table = pa.table(
            {
                "ts": pa.array(ts, type=pa.timestamp("us", tz="UTC")),
                "region": pa.array(regions[rng.choice(5, n, p=[0.4, 0.3, 0.15, 0.1, 0.05])]).dictionary_encode(),
                "source": pa.array(sources[rng.integers(0, 4, n)]).dictionary_encode(),
                "is_retry": pa.array(rng.random(n) < 0.08),
                "prompt_tokens": pa.array(rng.integers(10, 4000, n)),
            }
        )
        writer = writer or pq.ParquetWriter(sample, table.schema)
        writer.write_table(table)
    writer.close()
    grid = pd.MultiIndex.from_product(
        [range(24), regions, sources, [False, True]], names=["hour_of_day", "region", "source", "is_retry"]
    ).to_frame(index=False)
    grid["count"] = rng.integers(1000, 100000, len(grid))
    grid.to_parquet(reference, index=False)
    return sample, reference


def measure(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sample, reference = make_data(args.rows)
    floors, checks = [], []
    for i in range(args.repeat):  # interleaved so both see the same machine state
        floors.append(measure(FLOOR, str(sample)))
        checks.append(measure(CHECK, str(sample), str(reference)))
        print(f"run {i + 1}: floor {floors[-1]['s']:.2f} s, check {checks[-1]['s']:.2f} s", flush=True)
    floor_s = statistics.median(f["s"] for f in floors)
    check_s = statistics.median(c["s"] for c in checks)
    floor_rss = max(f["rss_mb"] for f in floors)
    check_rss = max(c["rss_mb"] for c in checks)
    print()
    print(f"rows: {args.rows:,} (parquet, 3 dimensions + timestamp; 5 columns in the file)")
    print(f"floor (pandas read 4 columns + value_counts each): median {floor_s:6.2f} s  peak RSS {floor_rss:7.0f} MiB")
    print(f"sampling_window (CIs, tests, weights, evidence):   median {check_s:6.2f} s  peak RSS {check_rss:7.0f} MiB")
    print(f"ratio check / floor: {check_s / floor_s:.2f}x  (target <= 3x);  peak RSS target <= 2048 MiB")
    print(
        f"verdict {checks[-1]['verdict']}, weights rows {checks[-1]['weights_rows']:,}, tvd[hour_of_day] {checks[-1]['tvd_hour']}"
    )
    return 0 if check_s / floor_s <= 3 and check_rss <= 2048 else 1


if __name__ == "__main__":
    sys.exit(main())
