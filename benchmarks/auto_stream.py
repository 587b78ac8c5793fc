"""A large reference given as a plain parquet path: the row path against automatic streaming.

sampling_window with a 20,000-row eval set and an N-row production reference (default 10 million),
both given as plain paths, as a DAG author writes them. Run twice in fresh subprocesses (so each
peak RSS is its own): once with the automatic threshold out of reach (the row path: pandas reads
the reference's rows), once with the default threshold (the reference is streamed in record
batches because its footer says it has more rows; the small sample keeps the row path). Printed
side by side with the verdict and a metric from each, which must be equal.

    python benchmarks/auto_stream.py [--rows 10000000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / ".data"
RUN = """
import json, sys, time, resource
import pandas as pd, pyarrow  # imported before timing in both runs: import cost is not the work
from airflow_evalguard.run import run_check
from airflow_evalguard.settings import DEFAULT_AUTO_STREAM_ROWS
from airflow_evalguard.sources.auto_stream import stream_large_inputs
sample, reference, form = sys.argv[1], sys.argv[2], sys.argv[3]
params = {"dimensions": ["region", "source", "is_retry"]}
threshold = DEFAULT_AUTO_STREAM_ROWS if form == "auto" else 10**18
t0 = time.perf_counter()
inputs = stream_large_inputs("sampling_window", {"sample": sample, "reference": reference}, params, None, threshold)
result = run_check("sampling_window", inputs, params)
elapsed = time.perf_counter() - t0
print(json.dumps({"s": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "verdict": result.verdict.value, "tvd_hour": result.metrics["tvd[hour_of_day]"].to_dict(),
                  "sources": result.params.get("input_sources", {})}))
"""


def make_data(rows: int, sample_rows: int = 20_000) -> tuple[Path, Path]:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    DATA.mkdir(exist_ok=True)
    sample, reference = DATA / f"auto_sample_{sample_rows}.parquet", DATA / f"auto_reference_{rows}.parquet"
    if sample.exists() and reference.exists():
        return sample, reference
    print(f"writing {rows:,} reference rows to {reference} ...", flush=True)
    rng = np.random.default_rng(0)
    regions = np.array(["us", "eu", "apac", "latam", "mea"])
    sources = np.array(["web", "api", "mobile", "batch"])

    def chunk(n: int) -> pa.Table:
        ts = pd.Timestamp("2026-10-01", tz="UTC").value // 1000 + rng.integers(0, 14 * 86400 * 10**6, n)
        return pa.table(
            {
                "ts": pa.array(ts, type=pa.timestamp("us", tz="UTC")),
                "region": pa.array(regions[rng.choice(5, n, p=[0.4, 0.3, 0.15, 0.1, 0.05])]),
                "source": pa.array(sources[rng.integers(0, 4, n)]),
                "is_retry": pa.array(rng.random(n) < 0.08),
            }
        )

    pq.write_table(chunk(sample_rows), sample)
    with pq.ParquetWriter(reference, chunk(1).schema) as writer:
        for start in range(0, rows, 2_000_000):
            writer.write_table(chunk(min(2_000_000, rows - start)))
    return sample, reference


def measure(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    sample, reference = make_data(args.rows)
    runs: dict[str, list[dict]] = {"rows": [], "auto": []}
    for i in range(args.repeat):  # interleaved so both see the same machine state
        for form in runs:
            runs[form].append(measure(str(sample), str(reference), form))
        print(f"run {i + 1}: " + ", ".join(f"{form} {r[-1]['s']:.2f} s" for form, r in runs.items()), flush=True)
    print()
    print(f"sampling_window, sample 20,000 rows, reference {args.rows:,} rows, both plain parquet paths")
    print(f"{'form':<44} {'median wall':>12} {'peak RSS':>10}")
    for form, label in (
        ("rows", "path as rows (threshold out of reach)"),
        ("auto", "automatic stream (default threshold)"),
    ):
        wall = statistics.median(r["s"] for r in runs[form])
        rss = max(r["rss_mb"] for r in runs[form])
        print(f"{label:<44} {wall:>10.2f} s {rss:>7.0f} MiB")
    rows, auto = runs["rows"][-1], runs["auto"][-1]
    print(f"reference form on the automatic run: {auto['sources'].get('reference', {}).get('form')}")
    same = rows["verdict"] == auto["verdict"] and rows["tvd_hour"] == auto["tvd_hour"]
    print(f"verdicts {rows['verdict']} / {auto['verdict']}; tvd[hour_of_day] equal: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
