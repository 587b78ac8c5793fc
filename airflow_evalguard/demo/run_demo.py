"""Run the demo DAG end to end with `airflow dags test`: healthy, then with each fault.

Prints a table of gate verdicts with their result paths, and exits non-zero unless the healthy
run promoted and every faulted run was blocked. Usage:
    python -m airflow_evalguard.demo.run_demo --dags-folder dags [--airflow-home .demo/airflow]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from airflow_evalguard.demo import FAULTS
from airflow_evalguard.demo.paths import demo_run_dir
from airflow_evalguard.store import LocalStore
from airflow_evalguard.store.layout import RESULT_FILE, GateKey, RunLayout

DAG_ID = "evalguard_demo"
# the gate that must catch each fault
CAUGHT_BY = {
    "cron_window": "sampling_window_gate",
    "sft_strips_refusals": "refusal_regression_gate",
    "distill_drops_rare_slice": "slice_retention_gate",
    "assignment_leak": "assignment_integrity_gate",
    "embedding_upgrade_mid_test": "embedding_drift_gate",
    "judge_silently_updated": "judge_drift_gate",
    "rubric_two_axis_drift": "rubric_drift_gate",
    "labelers_homogenize": "labeler_agreement_gate",
    "escalation_consumer_automated": "output_contract_gate",
    "staging_feedback_in_training": "feedback_provenance_gate",
    "cold_start_tail": "latency_tail_gate",
    "training_contention": "latency_tail_gate",
}


def _airflow(args: list[str], env: dict, log_file: Path) -> int:
    airflow = shutil.which("airflow", path=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""))
    if airflow is None:
        raise SystemExit("the airflow command is not installed next to this Python or on PATH")
    with open(log_file, "w") as fh:
        return subprocess.run([airflow, *args], env=env, stdout=fh, stderr=subprocess.STDOUT).returncode


def _results(root: Path) -> dict[Path, GateKey]:
    """Every gate result of the demo DAG in the store, with the gate try it belongs to."""
    found = {}
    for key in LocalStore(root).list_keys(RunLayout.of_dag(DAG_ID).folder):
        parsed = RunLayout.parse_gate_key(key)
        if parsed and parsed[1] == RESULT_FILE:
            found[root / key] = parsed[0]
    return found


Row = tuple[str, str, str, bool, str]  # fault, gate, verdict, promoted, result file


def _run_fault(fault: str, home: Path, env: dict[str, str], artifact_root: Path) -> tuple[bool, list[Row], list[str]]:
    """Run the demo DAG once with `fault`: (ok, a row and a summary line per gate). Not ok when a
    gate let the fault through, blocked healthy data, or no gate wrote a result."""
    before = set(_results(artifact_root))
    log_file = home / f"dags_test_{fault}.log"
    t1 = time.perf_counter()
    rc = _airflow(["dags", "test", DAG_ID, "-c", json.dumps({"fault": fault})], env, log_file)
    found = _results(artifact_root)
    new = sorted(set(found) - before)
    print(f"airflow dags test {DAG_ID} fault={fault}: exit {rc} in {time.perf_counter() - t1:.1f} s (log {log_file})")
    if not new:
        print(f"  no gate result was written; see {log_file}")
        return False, [], []
    ok, rows, summaries = True, [], []
    for result_file in new:
        result = json.loads(result_file.read_text())
        gate = found[result_file].label
        run_dir = Path(env["EVALGUARD_DEMO_DIR"]) / demo_run_dir(found[result_file].run_id).name
        promoted = (run_dir / "promoted.json").exists()
        rows.append((fault, gate, result["verdict"], promoted, str(result_file)))
        summaries.append(f"{fault} / {gate}: {result['summary']}")
        if promoted != (fault == "none"):
            ok = False
        if CAUGHT_BY.get(fault) == gate and result["verdict"] != "FAIL":
            print(f"  {gate} did not catch {fault}: {result['verdict']}")
            ok = False
        # WARN lets promotion through: e.g. the feedback gate quarantining a few rows with PII.
        if fault == "none" and result["verdict"] not in ("PASS", "WARN"):
            print(f"  {gate} did not pass healthy data: {result['verdict']}")
            ok = False
    return ok, rows, summaries


def _print_table(rows: list[Row], summaries: list[str]) -> None:
    print()
    header = ("fault", "gate", "verdict", "promoted", "result")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
    print()
    for line in summaries:
        print(line)
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dags-folder", default="dags")
    parser.add_argument("--airflow-home", default=".demo/airflow")
    args = parser.parse_args(argv)

    home = Path(args.airflow_home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    artifact_root = home / "evalguard"
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(Path(args.dags_folder).resolve()),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__EVALGUARD__ARTIFACT_ROOT": str(artifact_root),
        "EVALGUARD_DEMO_DIR": str(home / "evalguard_demo"),
    }
    print(f"AIRFLOW_HOME={home} (SQLite metadata), artifacts in {artifact_root}")
    t0 = time.perf_counter()
    if _airflow(["db", "migrate"], env, home / "db_migrate.log") != 0:
        print(f"airflow db migrate failed; see {home / 'db_migrate.log'}")
        return 1
    print(f"metadata DB ready in {time.perf_counter() - t0:.1f} s")

    rows: list[Row] = []
    summaries: list[str] = []
    ok = True
    for fault in ("none", *FAULTS):
        fault_ok, fault_rows, fault_summaries = _run_fault(fault, home, env, artifact_root)
        ok, rows, summaries = ok and fault_ok, rows + fault_rows, summaries + fault_summaries

    _print_table(rows, summaries)
    print("demo OK: healthy data promoted, every fault blocked" if ok else "demo FAILED: see the logs above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
