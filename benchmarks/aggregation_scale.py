"""sampling_window and refusal_regression past one machine's memory: 100 million rows in parquet.

Printed side by side from one run:
- streaming: pyarrow dataset batches aggregated incrementally (peak RSS must stay < 1 GiB), then
  the check on the aggregate; against reading the whole table with pandas and running the check
  on the rows (time ratio, and its peak RSS);
- pushdown: the same aggregations run in DuckDB (reading the parquet where it lies), in Spark
  local[2] through Spark Connect (external tables over the same parquet; benchmarks/
  aggregation_spark.py) and in PostgreSQL (tables loaded beforehand, not timed): sampling_window's GROUP BY, and
  refusal_regression's join of the two models' label tables on the prompt id + GROUP BY;
  against pulling the rows to the worker: time and bytes moved.
Each measurement runs in its own subprocess, so peak RSS is per measurement.

    python benchmarks/aggregation_scale.py [--rows 100000000] [--pg-rows 10000000] [--keep DIR]
        [--parts stream,pushdown,spark] [--spark-driver-memory 2g]
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
        t = pa.table(
            {
                "ts": pa.array((start + rng.integers(0, 14 * 86400, n)) * 1_000_000, pa.timestamp("us", tz="UTC")),
                "region": pa.DictionaryArray.from_arrays(
                    pa.array(rng.choice(3, n, p=(0.45, 0.35, 0.2)), pa.int8()), regions
                ),
                "source": pa.DictionaryArray.from_arrays(
                    pa.array(rng.choice(3, n, p=(0.5, 0.3, 0.2)), pa.int8()), sources
                ),
                "is_retry": pa.array(rng.random(n) < 0.1),
            }
        )
        sw = sw or pq.ParquetWriter(os.path.join(folder, "sample.parquet"), t.schema)
        sw.write_table(t)
        expected = rng.random(n) < 0.5
        b_bad = rng.random(n) < 0.1
        c_bad = np.where(rng.random(n) < 0.05, ~b_bad, b_bad)

        def label(bad, exp):
            # harmful prompts (expected refuse): bad = compliance; benign: bad = refusal
            return pa.DictionaryArray.from_arrays(pa.array(np.where(exp, bad, ~bad).astype(np.int8)), labels)

        r = pa.table(
            {
                "prompt_id": pa.array(np.arange(lo, lo + n)),
                "category": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, 14, n), pa.int8()), cats),
                "expected": pa.DictionaryArray.from_arrays(
                    pa.array(expected.astype(np.int8)), pa.array(["comply", "refuse"])
                ),
                "baseline_label": label(b_bad, expected),
                "candidate_label": label(c_bad, expected),
            }
        )
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
                    rows.append(
                        {
                            "hour_of_day": h,
                            "region": reg,
                            "source": src,
                            "is_retry": retry,
                            "count": 1000 * (2 if reg == "us" else 1) * (3 if not retry else 1),
                        }
                    )
    path = os.path.join(folder, "reference.parquet")
    pd.DataFrame(rows).to_parquet(path)
    return path


def measure(kind: str, folder: str) -> dict:
    import pandas as pd  # noqa: F401 - imports outside the timing

    from airflow_evalguard.run import run_check
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
    elif kind.startswith(("duckdb", "pg", "spark")):
        import sqlglot

        from airflow_evalguard.sources.sql import SqlSource

        def rows_query(text: str):  # our own text, parsed once and rendered per dialect by SqlSource
            return sqlglot.parse_one(text, read="postgres")

        if kind.startswith("duckdb"):
            import duckdb

            db = os.path.join(folder, "bench.duckdb")
            with duckdb.connect(db) as con:  # views only: the data stays in the parquet files
                con.execute(f"CREATE OR REPLACE VIEW sample AS SELECT * FROM read_parquet('{sample}')")
                # the two models' label tables, as an eval pipeline writes them
                con.execute(
                    "CREATE OR REPLACE VIEW baseline AS SELECT prompt_id, category, expected, "
                    f"baseline_label AS label FROM read_parquet('{paired}')"
                )
                con.execute(
                    "CREATE OR REPLACE VIEW candidate AS SELECT prompt_id, candidate_label AS label "
                    f"FROM read_parquet('{paired}')"
                )
            limits = {"_1gb": "1GB", "_512mb": "512MB"}
            config = next(({"memory_limit": mib} for end, mib in limits.items() if kind.endswith(end)), None)
            # the views read the parquet files: this script is the DAG author, who may allow that
            source = SqlSource(database=db, duckdb_config=config, external_access=True)
        elif kind.startswith("spark"):
            os.environ["AIRFLOW_CONN_BENCH_SPARK"] = os.environ["BENCH_SPARK_URL"]
            source = SqlSource(conn_id="bench_spark")
        else:
            os.environ["AIRFLOW_CONN_BENCH_PG"] = os.environ["BENCH_PG_URI"]
            source = SqlSource(conn_id="bench_pg")
        t0 = time.perf_counter()
        limit = int(os.environ.get("BENCH_PULL_ROWS", "10000000"))
        if kind.endswith("_rr_rows"):  # both label tables' rows (at most --pull-rows each)
            b = source.fetch(
                rows_query(f'SELECT "prompt_id", "category", "expected", "label" FROM "baseline" LIMIT {limit:d}')
            )
            c = source.fetch(rows_query(f'SELECT "prompt_id", "label" FROM "candidate" LIMIT {limit:d}'))
            moved = b.frame.memory_usage(deep=True).sum() + c.frame.memory_usage(deep=True).sum()
            verdict = f"{b.rows + c.rows:,} rows pulled"
        elif "_rr_agg" in kind:
            cells = source.refusal_cells("baseline", "candidate")
            moved = cells.memory_usage(deep=True).sum()
            verdict = run_check("refusal_regression", {"cells": cells}, {}).verdict.value
        elif kind.endswith("_rows"):  # pulling the rows to the worker instead (at most --pull-rows)
            fetched = source.fetch(
                rows_query(f'SELECT "ts", "region", "source", "is_retry" FROM "sample" LIMIT {limit:d}')
            )
            moved, verdict = fetched.frame.memory_usage(deep=True).sum(), f"{fetched.rows:,} rows pulled"
        else:
            counts = source.sampling_window_counts("sample", dimensions=DIMS)
            moved = counts.memory_usage(deep=True).sum()
            verdict = run_check("sampling_window", {"sample": counts, "reference": ref}, params).verdict.value
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
        "verdict": verdict,
        "bytes": None if moved is None else int(moved),
    }


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
        paired = ds.dataset(os.path.join(folder, "paired.parquet")).head(rows)
        cur.execute('CREATE TABLE "baseline" (prompt_id bigint, category text, expected text, label text)')
        cur.execute('CREATE TABLE "candidate" (prompt_id bigint, label text)')
        for batch in paired.to_batches(max_chunksize=1_000_000):
            frame = batch.to_pandas()
            for name, cols in (
                ("baseline", ["prompt_id", "category", "expected", "baseline_label"]),
                ("candidate", ["prompt_id", "candidate_label"]),
            ):
                buf = io.StringIO()
                frame[cols].to_csv(buf, index=False, header=False)
                buf.seek(0)
                cur.copy_expert(f'COPY "{name}" FROM STDIN WITH CSV', buf)
        cur.execute("ANALYZE")
    load_postgres.server = server
    return server.conn_uri()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--pg-rows", type=int, default=10_000_000)
    ap.add_argument("--pull-rows", type=int, default=10_000_000, help="rows pulled in the 'pull the rows' runs")
    ap.add_argument("--keep")
    ap.add_argument("--parts", default="stream,pushdown,spark", help="which parts to run: stream, pushdown, spark")
    ap.add_argument("--spark-driver-memory", default="2g", help="the Spark Connect server's driver (JVM) heap")
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
        out = subprocess.run(
            [sys.executable, __file__, "--measure", kind, "--folder", folder],
            capture_output=True,
            text=True,
            env={**os.environ, "BENCH_PULL_ROWS": str(args.pull_rows), **(env or {})},
        )
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
    if "spark" in parts:
        from aggregation_spark import spark_part  # benchmarks/ is on sys.path when run as a script

        spark_part(run, line, args, folder)


def stream_part(run, line, args) -> None:
    print(f"streaming, {args.rows:,} rows (target: peak < 1 GiB); ratio against pandas reading the whole table")
    for check, s_kind, p_kind in (
        ("sampling_window", "sw_stream", "sw_pandas"),
        ("refusal_regression", "rr_stream", "rr_pandas"),
    ):
        pandas = run(p_kind)
        line(f"{check}: pandas reads the whole table", pandas)
        line(f"{check}: streamed aggregate + the check", run(s_kind), pandas)


def pushdown_part(run, line, args, folder) -> None:
    pulled = min(args.pull_rows, args.rows)
    print(
        "pushdown of the GROUP BY (sampling_window) and of the join + GROUP BY (refusal_regression), against "
        "pulling the rows"
    )
    rows_dd = run("duckdb_rows")
    line(f"DuckDB ({args.rows:,} rows in parquet): pull {pulled:,} sample rows", rows_dd)
    line("DuckDB: sampling_window aggregate in the database", run("duckdb_agg"), rows_dd)
    rows_dd = run("duckdb_rr_rows")
    line(f"DuckDB: pull {pulled:,} rows of each label table", rows_dd)
    line("DuckDB: refusal cells (join + aggregate) in the database", run("duckdb_rr_agg"), rows_dd)
    line("DuckDB: the same with memory_limit 1GB (spills to disk)", run("duckdb_rr_agg_1gb"), rows_dd)
    line("DuckDB: the same with memory_limit 512MB", run("duckdb_rr_agg_512mb"), rows_dd)
    uri = load_postgres(folder, args.pg_rows)
    if uri:
        env = {"BENCH_PG_URI": uri}
        pg_pulled = min(args.pull_rows, args.pg_rows)
        rows_pg = run("pg_rows", env)
        line(f"PostgreSQL ({args.pg_rows:,} rows per table): pull {pg_pulled:,} sample rows", rows_pg)
        line("PostgreSQL: sampling_window aggregate in the database", run("pg_agg", env), rows_pg)
        rows_pg = run("pg_rr_rows", env)
        line(f"PostgreSQL: pull {pg_pulled:,} rows of each label table", rows_pg)
        line("PostgreSQL: refusal cells (join + aggregate) in the database", run("pg_rr_agg", env), rows_pg)
        load_postgres.server.stop()


if __name__ == "__main__":
    main()
