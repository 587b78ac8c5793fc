"""latency_tail on 20 million requests from parquet: 20 endpoints x 3 latency classes, quantile
intervals and idle-gap cold-start detection included.

Targets: <= 3 s and <= 2 GiB peak RSS for the whole check (reading the parquet included).
Printed side by side from one run on the same file: pandas reading the same columns, and a
pandas groupby + quantile of the same groups (points only: no intervals, no cold starts), each
measured in its own subprocess so peak RSS is per measurement.

    python benchmarks/latency_tail_scale.py [--rows 20000000] [--keep FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ENDPOINTS, CLASSES = 20, ("interactive", "batch", "background")


def write_requests(path: str, rows: int) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    chunk = 5_000_000
    start = np.datetime64("2026-11-01T00:00:00", "ns").astype(np.int64)
    span_ns = 7 * 86400 * 10**9
    writer = None
    for lo in range(0, rows, chunk):
        n = min(chunk, rows - lo)
        ts = start + (np.arange(lo, lo + n, dtype=np.int64) * (span_ns // rows))
        endpoint = rng.integers(0, ENDPOINTS, n)
        klass = rng.choice(3, n, p=(0.6, 0.3, 0.1))
        latency = np.exp(6 + 0.5 * rng.standard_normal(n)) * (1 + 2 * klass)
        table = pa.table(
            {
                "ts": pa.array(ts, type=pa.timestamp("ns", tz="UTC")),
                "endpoint": pa.DictionaryArray.from_arrays(
                    pa.array(endpoint, pa.int32()), pa.array([f"endpoint-{i:02d}" for i in range(ENDPOINTS)])
                ),
                "latency_class": pa.DictionaryArray.from_arrays(pa.array(klass, pa.int32()), pa.array(list(CLASSES))),
                "replica": pa.array(rng.integers(0, 4, n), pa.int8()),
                "latency_ms": pa.array(latency),
            }
        )
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    writer.close()


def measure(kind: str, path: str) -> dict:
    # Imports first, outside the timing: the figure is the work, not Python loading libraries.
    import numpy  # noqa: F401
    import pandas as pd
    import pyarrow.parquet  # noqa: F401
    import scipy.stats  # noqa: F401

    from airflow_evalguard.checks import get_check
    from airflow_evalguard.run import run_check

    get_check("latency_tail")
    t0 = time.perf_counter()
    if kind == "ours":
        result = run_check(
            "latency_tail", {"requests": path}, {"idle_timeout_s": 0.5, "slo_ms": {"interactive": 5000, "batch": 20000}}
        )
        extra = {"verdict": result.verdict.value, "groups": len(result.slices)}
    else:
        frame = pd.read_parquet(path, columns=["endpoint", "latency_class", "latency_ms"])
        t_read = time.perf_counter() - t0
        t1 = time.perf_counter()
        q = frame.groupby(["endpoint", "latency_class"], observed=True)["latency_ms"].quantile([0.5, 0.95, 0.99])
        extra = {"read_s": t_read, "groupby_s": time.perf_counter() - t1, "groups": len(q) // 3}
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB
    return {"seconds": seconds, "peak_gib": peak, **extra}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--keep")
    ap.add_argument("--measure", choices=["ours", "pandas"])
    ap.add_argument("--path")
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.path)))
        return
    path = args.keep or os.path.join(tempfile.mkdtemp(), "requests.parquet")
    if not os.path.exists(path):
        t0 = time.perf_counter()
        write_requests(path, args.rows)
        print(
            f"wrote {args.rows:,} requests to {path} in {time.perf_counter() - t0:.1f} s "
            f"({os.path.getsize(path) / 2**20:.0f} MiB)"
        )

    def run(kind):
        out = subprocess.run(
            [sys.executable, __file__, "--measure", kind, "--path", path], capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    pandas, ours = run("pandas"), run("ours")
    print(
        f"latency_tail: {args.rows:,} requests, {ENDPOINTS} endpoints x {len(CLASSES)} classes "
        f"({ours['groups']} groups)"
    )
    print(f"  {'pandas: read 3 columns':<52} {pandas['read_s']:6.2f} s")
    print(f"  {'pandas: groupby + quantile (points only)':<52} {pandas['groupby_s']:6.2f} s   1.0x")
    print(f"  {'pandas: read + groupby + quantile':<52} {pandas['seconds']:6.2f} s   peak {pandas['peak_gib']:.2f} GiB")
    print(
        f"  {'ours: read + quantiles with CIs + cold starts + SLO':<52} {ours['seconds']:6.2f} s "
        f"{ours['seconds'] / pandas['groupby_s']:4.1f}x   peak {ours['peak_gib']:.2f} GiB   verdict {ours['verdict']}"
    )
    met = ours["seconds"] <= 3 and ours["peak_gib"] <= 2
    print(f"  target <= 3 s and <= 2 GiB: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
