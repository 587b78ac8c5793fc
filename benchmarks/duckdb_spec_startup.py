"""A DuckDB spec run outside Airflow (the CLI, a notebook): import plus the first query.

A 1,000,000-row reference table in a DuckDB file is aggregated by
`resolve_inputs({"reference": {"sql": "sampling_window_counts", "database": ...}})` in a fresh
interpreter, timing the import of the spec resolver and the first resolve, and noting whether
Airflow's common.sql hook was imported. `--before DIR` runs the same probe on another copy of
the package (e.g. `git archive <commit> | tar -x -C DIR`) and prints both side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5
PROBE = """
import json, sys, time
t0 = time.perf_counter()
from airflow_evalguard.sources.specs import resolve_inputs
t1 = time.perf_counter()
spec = {"sql": "sampling_window_counts", "database": sys.argv[1], "table": "reference",
        "dimensions": ["region", "source"], "timezone": "Europe/Berlin"}
counts = resolve_inputs({"reference": spec})["reference"]
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first_query": t2 - t1, "rows": int(counts["count"].sum()),
                  "sql_hook": "airflow.providers.common.sql.hooks.sql" in sys.modules}))
"""


def _reference(folder: str, rows: int) -> str:
    import duckdb

    path = os.path.join(folder, "reference.duckdb")
    with duckdb.connect(path) as con:
        con.execute(
            f"""CREATE TABLE reference AS SELECT
                TIMESTAMPTZ '2026-10-01 00:00:00+00' + to_seconds(i * 7 % 2592000) AS ts,
                ['eu', 'us', 'apac'][1 + i % 3] AS region, ['web', 'api'][1 + i % 2] AS source
            FROM range({rows}) t(i)"""
        )
    return path


def _probe(code_root: Path, database: str) -> dict:
    runs = []
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", PROBE, database], capture_output=True, text=True, env=env, cwd=code_root, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "import": statistics.median(r["import"] for r in runs),
        "first_query": statistics.median(r["first_query"] for r in runs),
        "rows": runs[0]["rows"],
        "sql_hook": runs[0]["sql_hook"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--before", type=Path, help="another copy of the package to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = _reference(folder, args.rows)
        roots = {"before": args.before, "now": ROOT} if args.before else {"now": ROOT}
        print(f"DuckDB spec outside Airflow, {args.rows:,}-row reference, median of {RUNS} fresh interpreters")
        print(f"{'code':8} {'import s':>9} {'1st query s':>12} {'total s':>8}  Airflow SQL hook imported")
        for name, root in roots.items():
            r = _probe(root, database)
            assert r["rows"] == args.rows, r
            total = r["import"] + r["first_query"]
            print(f"{name:8} {r['import']:9.2f} {r['first_query']:12.2f} {total:8.2f}  {r['sql_hook']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
