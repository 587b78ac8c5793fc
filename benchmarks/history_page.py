"""The history page for 1,000 runs x 11 gates: server time to first byte, local store and S3.

The index is written three ways: as publishing leaves it (one object per gate try, merged into a
segment whenever a DAG has 200 of them), as `history rebuild` leaves it (segments of 1,000
records), and never compacted (11,000 objects: an index written with compaction failing). The reports app runs
under uvicorn on 127.0.0.1 in its own process; the client times each GET from sending the
request to the response's first byte (the status line). Cold: the first request after the
server starts (first listing, first connection); warm: the median of the next five. S3 is SeaweedFS
(`weed mini`, tests/integration/s3_server.py) on 127.0.0.1. Targets: under 1 s local, under 3 s
on S3 (the S3 bucket gets, object for object, the index the local run of the same state wrote:
publishing through S3 one gate try at a time would only time the fill). Memory: the peak Python allocation of reading one page (tracemalloc), for 100 and for
1,000 runs, to show it does not grow with the runs stored.

    python benchmarks/history_page.py [--runs 1000] [--no-s3]
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from airflow_evalguard.publish.history import HistoryQuery, append_record, read_page  # noqa: E402
from airflow_evalguard.publish.history_rebuild import compact_live, write_segments  # noqa: E402
from airflow_evalguard.publish.history_record import HEADLINE, build_record  # noqa: E402
from airflow_evalguard.store import get_store  # noqa: E402
from airflow_evalguard.store.layout import GateKey  # noqa: E402

DAG = "train_and_promote"
CHECKS = sorted(HEADLINE) + ["latency_tail"]  # 11 checks, one gate each
# The API server has Airflow's models loaded before any request (the page asks Airflow for the
# gates' task states); the benchmark's server loads them at start too, so a cold request does
# not pay that import. It has no metadata database: the page's one task-state query fails fast
# and the verdicts decide, as the page does without a database.
SERVER = """
import sys, uvicorn
import airflow.models.taskinstance, airflow.utils.session
from airflow_evalguard.web.app import create_app
uvicorn.run(create_app(authorize=False), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def gate_result(check: str, run: int, gate: int) -> dict:
    """A result as result.json holds it: one headline metric with an interval, thresholds, findings."""
    value = 0.01 + 0.04 * ((run * 7 + gate * 3) % 11) / 10
    verdict = "FAIL" if value > 0.045 else "WARN" if value > 0.03 else "PASS"
    findings = [] if verdict == "PASS" else [{"severity": verdict.lower(), "code": "DRIFT", "message": "it drifted"}]
    metric = HEADLINE.get(check, ("requests",))[0]
    started = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=run, seconds=gate * 20)
    return {
        "check": check,
        "verdict": verdict,
        "summary": f"{verdict}: {metric} {value:.3f}",
        "metrics": {metric: {"value": value, "ci_low": value - 0.01, "ci_high": value + 0.01}},
        "findings": findings,
        "params": {"warn_at": 0.03, "fail_at": 0.045},
        "artifacts": {"result": f"{DAG}/run/gate/try_1/result.json"},
        "started_at": started.isoformat(),
        "duration_s": 2.0,
    }


def records(runs: int) -> list[tuple[GateKey, dict]]:
    return [
        (GateKey(DAG, f"scheduled__{run:05d}", f"{check}_gate", -1, 1), gate_result(check, run, gate))
        for run in range(runs)
        for gate, check in enumerate(CHECKS)
    ]


MODES = {
    "published": "as published (compacted every 200)",
    "rebuilt": "segments (after history rebuild)",
    "live": "never compacted (one object per try)",
}


def fill(root: str, runs: int, mode: str) -> None:
    store = get_store(root)
    items = records(runs)
    if mode == "rebuilt":
        write_segments(store, DAG, [build_record(gate, result) for gate, result in items])
        return

    def publish(item: tuple[GateKey, dict]) -> None:
        append_record(store, *item)
        if mode == "published":
            compact_live(store, DAG)

    with ThreadPoolExecutor(8) as pool:  # eight workers publishing at once
        list(pool.map(publish, items))


def ttfb(port: int, path: str) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()  # returns once the status line and headers are in
    first_byte = time.perf_counter() - start
    body = response.read()
    connection.close()
    assert response.status == 200 and body.count(b"<svg") == len(CHECKS), (response.status, body[:300])
    return first_byte


def serve_and_time(root: str, env: dict[str, str]) -> tuple[float, float]:
    from tests.integration.s3_server import free_port

    port = free_port()
    env = {**env, "AIRFLOW__EVALGUARD__ARTIFACT_ROOT": root, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/nowhere")
                break
            except OSError:
                time.sleep(0.2)
        path = f"/history/{DAG}"
        cold = ttfb(port, path)
        warm = statistics.median(ttfb(port, path) for _ in range(5))
        return cold, warm
    finally:
        server.terminate()
        server.wait(timeout=15)


def page_memory(runs: int, tmp: str) -> float:
    root = f"{tmp}/memory_{runs}"
    fill(root, runs, "published")
    store = get_store(root)
    tracemalloc.start()
    read_page(store, HistoryQuery(dag_ids=frozenset([DAG])))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--no-s3", action="store_true")
    parser.add_argument("--modes", default="published,rebuilt,live", help="which index states to time")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="evalguard-history-bench-")
    env = {**os.environ, "AIRFLOW_HOME": f"{tmp}/airflow_home", "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    print(f"history page, {args.runs} runs x {len(CHECKS)} gates, 50 runs per page")
    print(f"{'store':<8}{'index':<40}{'cold TTFB s':>12}{'warm TTFB s':>13}  target")
    modes = args.modes.split(",")
    for mode in modes:
        root = f"{tmp}/local_{mode}"
        fill(root, args.runs, mode)
        cold, warm = serve_and_time(root, env)
        print(f"{'local':<8}{MODES[mode]:<40}{cold:>12.3f}{warm:>13.3f}  < 1 s", flush=True)
    if not args.no_s3:
        s3_rows(tmp, env, modes)
    for runs in (100, args.runs):
        print(f"peak allocation reading one page with {runs} runs stored: {page_memory(runs, tmp):.2f} MiB")


def upload(local_root: str, client, bucket: str) -> int:
    files = [p for p in Path(local_root).rglob("*") if p.is_file()]

    def put(path: Path) -> None:
        key = "evalguard/" + path.relative_to(local_root).as_posix()
        client.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, files))
    return len(files)


def s3_rows(tmp: str, env: dict[str, str], modes: list[str]) -> None:
    from tests.integration.s3_server import SeaweedS3

    server = SeaweedS3(Path(tmp) / "seaweed")
    server.start()
    try:
        os.environ["AIRFLOW_CONN_AWS_DEFAULT"] = env["AIRFLOW_CONN_AWS_DEFAULT"] = server.connection_uri_json()
        client = server.client()
        for mode in modes:
            bucket = f"history-{mode}"
            client.create_bucket(Bucket=bucket)
            upload(f"{tmp}/local_{mode}", client, bucket)
            cold, warm = serve_and_time(f"s3://{bucket}/evalguard", env)
            print(f"{'S3':<8}{MODES[mode]:<40}{cold:>12.3f}{warm:>13.3f}  < 3 s", flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
