"""Outside Airflow (the CLI, a notebook) a DuckDB spec runs on duckdb alone: no Airflow import,
and `[evalguard] duckdb_directory` still read from where Airflow reads it first. Each case runs
in a fresh interpreter, because the test session itself has Airflow loaded."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
from airflow_evalguard.sources.specs import resolve_inputs
spec = {"sql": "label_counts", "database": sys.argv[1], "table": "labels"}
try:
    counts = resolve_inputs({"labels": spec})["labels"].to_dict("records")
except Exception as exc:
    counts = type(exc).__name__ + ": " + str(exc)
print(json.dumps({"counts": counts, "airflow": sorted(m for m in sys.modules if m.split(".")[0] == "airflow")}))
"""


def _run(database: str, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, database],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _labels(path: Path) -> str:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE labels AS SELECT 'b' AS batch, 1 AS item_id, 'yes' AS label")
    return str(path)


def test_a_duckdb_spec_outside_airflow_imports_no_airflow(tmp_path):
    probe = _run(_labels(tmp_path / "labels.duckdb"), AIRFLOW_HOME=str(tmp_path / "home"))
    assert probe == {"counts": [{"batch": "b", "item_id": 1, "label": "yes", "count": 1}], "airflow": []}


def test_the_duckdb_directory_is_read_from_airflow_cfg_without_airflow(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    new = str(allowed / "new.duckdb")  # does not exist: only the configured directory may create it
    home = tmp_path / "home"
    home.mkdir()
    refused = _run(new, AIRFLOW_HOME=str(home))
    assert "EvalGuardInputError" in refused["counts"] and "duckdb_directory" in refused["counts"]
    (home / "airflow.cfg").write_text(f"[evalguard]\nduckdb_directory = {allowed}\n")
    created = _run(new, AIRFLOW_HOME=str(home))
    assert "Catalog Error" in created["counts"] and created["airflow"] == []  # opened, created, no table yet
    assert Path(new).exists()
