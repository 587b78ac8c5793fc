"""Spark's part of benchmarks/aggregation_scale.py: a Spark Connect server (local[2]) on 127.0.0.1
over the same parquet files, reached through our code path (an Airflow `spark_connect`
connection, SqlSource, sources.spark_connect).

The tables are external: `sample` is the parquet file, `baseline` and `candidate` are views over
the paired file (the two models' label tables), so nothing is loaded beforehand. The worker's
peak RSS is the measuring subprocess's (the Python process); the JVM's peak (VmHWM of the server,
cumulative over the run) is printed beside it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_spark(folder: str, driver_memory: str):
    """The server and its `sc://` URL, with the tables defined; None if Spark cannot start here."""
    sys.path.insert(0, REPO)
    try:
        from tests.integration.spark_server import SparkConnectServer

        server = SparkConnectServer(
            Path(tempfile.mkdtemp(prefix="evalguard-sparkbench-")) / "server", driver_memory, java_options=""
        )
        server.start(timeout=180)
    except BaseException as exc:  # noqa: BLE001 - pytest.skip/fail raise BaseException subclasses
        print(f"  (Spark not available: {exc}; skipped)")
        return None
    sample, paired = os.path.join(folder, "sample.parquet"), os.path.join(folder, "paired.parquet")
    session = server.session()
    try:
        session.sql(f"CREATE TABLE sample USING parquet LOCATION '{sample}'")
        session.sql(
            "CREATE VIEW baseline AS SELECT prompt_id, category, expected, baseline_label AS label "
            f"FROM parquet.`{paired}`"
        )
        session.sql(f"CREATE VIEW candidate AS SELECT prompt_id, candidate_label AS label FROM parquet.`{paired}`")
    finally:
        session.stop()
    return server


def jvm_peak_gib(server) -> float | None:
    """The Spark JVM's peak resident memory so far (Linux VmHWM), or None if it cannot be read."""
    if server.process is None:
        return None
    group = os.getpgid(server.process.pid)
    peak = None
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getpgid(int(entry)) != group:
                continue
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        for row in status.splitlines():
            if row.startswith("VmHWM:"):
                kib = int(row.split()[1])
                peak = max(peak or 0, kib / 1024**2)
    return peak


def spark_part(run, line, args, folder) -> None:
    pulled = min(args.pull_rows, args.rows)
    server = start_spark(folder, args.spark_driver_memory)
    if server is None:
        return
    env = {"BENCH_SPARK_URL": f"spark-connect://127.0.0.1:{server.port}"}

    def measured(what, kind, base=None):
        result = run(kind, env)
        line(what, result, base)
        peak = jvm_peak_gib(server)
        if peak is not None:
            print(f"  {'':<58} Spark JVM peak RSS so far {peak:5.2f} GiB")
        return result

    try:
        rows = measured(f"Spark local[2] ({args.rows:,} rows in parquet): pull {pulled:,} sample rows", "spark_rows")
        measured("Spark: sampling_window aggregate in Spark", "spark_agg", rows)
        rows = measured(f"Spark: pull {pulled:,} rows of each label table", "spark_rr_rows")
        measured("Spark: refusal cells (join + aggregate) in Spark", "spark_rr_agg", rows)
    finally:
        server.stop()
