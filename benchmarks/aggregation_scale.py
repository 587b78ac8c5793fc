"""sampling_window and refusal_regression past one machine's memory: 100 million rows in parquet.

Printed side by side from one run:
- streaming: pyarrow dataset batches aggregated incrementally (peak RSS must stay < 1 GiB), then
  the check on the aggregate; against reading the whole table with pandas and running the check
  on the rows (time ratio, and its peak RSS);
- pushdown: the same aggregation run in DuckDB (reading the parquet where it lies) and in
  PostgreSQL (a table loaded beforehand, not timed), against pulling the rows to the worker:
  time and bytes moved.
Each measurement runs in its own subprocess, so peak RSS is per measurement.

    python benchmarks/aggregation_scale.py [--rows 100000000] [--pg-rows 10000000] [--keep DIR]
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

DIMS = ["region", "source", "is_retry"]


def write_inputs(folder: str, rows: int) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    start = np.datetime64("2026-10-01T00:00:00", "s").astype(np.int64)
    chunk = 5_000_000
    sw = rr = None
    regions = pa.array(["us", "eu", "apac"])
    sources = pa.array(["web", "api", "mobile"])
    cats = pa.array([f"cat{i:02d}" for i in range(14)])
    labels = pa.array(["refusal", "compliance"])
    for lo in range(0, rows, chunk):
        n = min(chunk, rows - lo)
        t = pa.table({
            "ts": pa.array((start + rng.integers(0, 14 * 86400, n)) * 1_000_000, pa.timestamp("us", tz="UTC")),
            "region": pa.DictionaryArray.from_arrays(pa.array(rng.choice(3, n, p=(0.45, 0.35, 0.2)), pa.int8()), regions),
            "source": pa.DictionaryArray.from_arrays(pa.array(rng.choice(3, n, p=(0.5, 0.3, 0.2)), pa.int8()), sources),
            "is_retry": pa.array(rng.random(n) < 0.1),
        })
        sw = sw or pq.ParquetWriter(os.path.join(folder, "sample.parquet"), t.schema)
        sw.write_table(t)
        expected = rng.random(n) < 0.5
        b_bad = rng.random(n) < 0.1
        c_bad = np.where(rng.random(n) < 0.05, ~b_bad, b_bad)
        def label(bad, exp):
            # harmful prompts (expected refuse): bad = compliance; benign: bad = refusal
            return pa.DictionaryArray.from_arrays(pa.array(np.where(exp, bad, ~bad).astype(np.int8)), labels)
        r = pa.table({
            "prompt_id": pa.array(np.arange(lo, lo + n)),
            "category": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, 14, n), pa.int8()), cats),
            "expected": pa.DictionaryArray.from_arrays(pa.array(expected.astype(np.int8)), pa.array(["comply", "refuse"])),
            "baseline_label": label(b_bad, expected), "candidate_label": label(c_bad, expected),
        })
        rr = rr or pq.ParquetWriter(os.path.join(folder, "paired.parquet"), r.schema)
        rr.write_table(r)
    sw.close()
    rr.close()


def reference(folder: str):
    import pandas as pd

    rows = []
    for h in range(24):
        for reg in ("us", "eu", "apac"):
            for src in ("web", "api", "mobile"):
                for retry in (False, True):
                    rows.append({"hour_of_day": h, "region": reg, "source": src, "is_retry": retry,
                                 "count": 1000 * (2 if reg == "us" else 1) * (3 if not retry else 1)})
    path = os.path.join(folder, "reference.parquet")
    pd.DataFrame(rows).to_parquet(path)
    return path


def measure(kind: str, folder: str) -> dict:
    import pandas as pd  # noqa: F401 - imports outside the timing

    from airflow_evalguard.checks import run_check
    from airflow_evalguard.sources import stream

    ref = os.path.join(folder, "reference.parquet")
    sample, paired = os.path.join(folder, "sample.parquet"), os.path.join(folder, "paired.parquet")
    params = {"dimensions": DIMS, "n_boot": 500}
    t0 = time.perf_counter()
    moved = None
    if kind == "sw_stream":
        counts = stream.sampling_window_counts(sample, dimensions=DIMS)
        verdict = run_check("sampling_window", {"sample": counts, "reference": ref}, params).verdict.value
    elif kind == "sw_pandas":
        import pandas as pd

        verdict = f"{len(pd.read_parquet(sample, columns=['ts', *DIMS])):,} rows read"
    elif kind == "rr_stream":
        cells = stream.refusal_cells(paired)
        verdict = run_check("refusal_regression", {"cells": cells}, {}).verdict.value
    elif kind == "rr_pandas":
        import pandas as pd

        verdict = f"{len(pd.read_parquet(paired)):,} rows read"
    elif kind.startswith("duckdb") or kind.startswith("pg"):
        from airflow_evalguard.sources.sql import SqlSource

        if kind.startswith("duckdb"):
            import duckdb

            db = os.path.join(folder, "bench.duckdb")
            if not os.path.exists(db):
                with duckdb.connect(db) as con:
                    con.execute(f"CREATE VIEW sample AS SELECT * FROM read_parquet('{sample}')")
                    con.execute(f"CREATE VIEW paired AS SELECT * FROM read_parquet('{paired}')")
            source = SqlSource(database=db)
        else:
            os.environ["AIRFLOW_CONN_BENCH_PG"] = os.environ["BENCH_PG_URI"]
            source = SqlSource(conn_id="bench_pg")
        t0 = time.perf_counter()
        if kind.endswith("_rows"):  # pulling the rows to the worker instead (at most --pull-rows)
            limit = int(os.environ.get("BENCH_PULL_ROWS", "10000000"))
            fetched = source.fetch(f'SELECT "ts", "region", "source", "is_retry" FROM "sample" LIMIT {limit:d}', [])
            moved, verdict = fetched.frame.memory_usage(deep=True).sum(), f"{fetched.rows:,} rows pulled"
        else:
            counts = source.sampling_window_counts("sample", dimensions=DIMS)
            moved = counts.memory_usage(deep=True).sum()
            verdict = run_check("sampling_window", {"sample": counts, "reference": ref}, params).verdict.value
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2,
            "verdict": verdict, "bytes": None if moved is None else int(moved)}


def load_postgres(folder: str, rows: int) -> str | None:
    """Start a throwaway PostgreSQL on 127.0.0.1 and load `rows` sample rows; None if unavailable."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        from pathlib import Path

        import pyarrow.dataset as ds

        from tests.integration.postgres_server import PostgresServer

        base = Path(tempfile.mkdtemp(prefix="evalguard-pgbench-"))
        server = PostgresServer(base / "server")
        server.start()
    except BaseException as exc:  # noqa: BLE001 - pytest.skip/fail raise BaseException subclasses
        print(f"  (PostgreSQL not available: {exc}; skipped)")
        return None
    import io

    table = ds.dataset(os.path.join(folder, "sample.parquet")).head(rows)
    with server.connect() as conn, conn.cursor() as cur:
        cur.execute('CREATE TABLE "sample" (ts timestamptz, region text, source text, is_retry boolean)')
        for batch in table.to_batches(max_chunksize=1_000_000):
            buf = io.StringIO()
            batch.to_pandas().to_csv(buf, index=False, header=False)
            buf.seek(0)
            cur.copy_expert('COPY "sample" FROM STDIN WITH CSV', buf)
    load_postgres.server = server
    return server.conn_uri()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--pg-rows", type=int, default=10_000_000)
    ap.add_argument("--pull-rows", type=int, default=10_000_000, help="rows pulled in the 'pull the rows' runs")
    ap.add_argument("--keep")
    ap.add_argument("--parts", default="stream,pushdown", help="which parts to run: stream, pushdown or both")
    ap.add_argument("--measure")
    ap.add_argument("--folder")
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.folder)))
        return
    folder = args.keep or tempfile.mkdtemp(prefix="evalguard-agg-")
    os.makedirs(folder, exist_ok=True)
    if not os.path.exists(os.path.join(folder, "sample.parquet")):
        t0 = time.perf_counter()
        write_inputs(folder, args.rows)
        print(f"wrote {args.rows:,} sample rows and {args.rows:,} paired prompts in {time.perf_counter() - t0:.0f} s")
    reference(folder)

    def run(kind, env=None):
        out = subprocess.run([sys.executable, __file__, "--measure", kind, "--folder", folder], capture_output=True,
                             text=True, env={**os.environ, "BENCH_PULL_ROWS": str(args.pull_rows), **(env or {})})
        if out.returncode:
            return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else f"exit {out.returncode}"}
        return json.loads(out.stdout.strip().splitlines()[-1])

    def line(label, r, base=None):
        if "error" in r:
            print(f"  {label:<58} failed: {r['error']}")
            return
        ratio = f"{r['seconds'] / base['seconds']:5.2f}x" if base and "error" not in base else "      "
        moved = f"  {r['bytes'] / 1024:11,.0f} KiB moved" if r.get("bytes") is not None else ""
        print(f"  {label:<58} {r['seconds']:7.1f} s {ratio}  peak {r['peak_gib']:5.2f} GiB{moved}  {r['verdict']}")

    parts = set(args.parts.split(","))
    if "stream" in parts:
        stream_part(run, line, args)
    if "pushdown" in parts:
        pushdown_part(run, line, args, folder)


def stream_part(run, line, args) -> None:
    print(f"streaming, {args.rows:,} rows (target: peak < 1 GiB); ratio against pandas reading the whole table")
    for check, s_kind, p_kind in (("sampling_window", "sw_stream", "sw_pandas"),
                                  ("refusal_regression", "rr_stream", "rr_pandas")):
        pandas = run(p_kind)
        line(f"{check}: pandas reads the whole table", pandas)
        line(f"{check}: streamed aggregate + the check", run(s_kind), pandas)


def pushdown_part(run, line, args, folder) -> None:
    print("pushdown of sampling_window's GROUP BY, against pulling the rows")
    rows_dd = run("duckdb_rows")
    line(f"DuckDB ({args.rows:,} rows in parquet): pull {min(args.pull_rows, args.rows):,} rows", rows_dd)
    line("DuckDB: aggregate in the database", run("duckdb_agg"), rows_dd)
    uri = load_postgres(folder, args.pg_rows)
    if uri:
        rows_pg = run("pg_rows", {"BENCH_PG_URI": uri})
        line(f"PostgreSQL ({args.pg_rows:,} rows): pull {min(args.pull_rows, args.pg_rows):,} rows", rows_pg)
        line("PostgreSQL: aggregate in the database", run("pg_agg", {"BENCH_PG_URI": uri}), rows_pg)
        load_postgres.server.stop()


if __name__ == "__main__":
    main()
