"""Packaging: provider metadata, entry points, and nothing heavy at DAG-parse time."""

import json
import subprocess
import sys
from importlib.metadata import entry_points

import airflow_evalguard

HEAVY = ["pandas", "numpy", "scipy", "pyarrow", "great_expectations", "matplotlib", "boto3", "pyspark", "py4j"]


def test_provider_info_matches_distribution_name():
    info = airflow_evalguard.get_provider_info()
    assert info["package-name"] == "airflow-evalguard"
    assert info["name"] and info["description"]
    assert info["versions"] == [airflow_evalguard.__version__]


def test_entry_points_registered():
    # every provider names its entry point "provider_info": compare values, not a name-keyed dict
    providers = {ep.value for ep in entry_points(group="apache_airflow_provider")}
    assert "airflow_evalguard:get_provider_info" in providers
    plugins = {ep.value for ep in entry_points(group="airflow.plugins")}
    assert "airflow_evalguard.plugin:EvalGuardPlugin" in plugins
    scripts = {ep.value for ep in entry_points(group="console_scripts") if ep.name == "evalguard"}
    assert scripts == {"airflow_evalguard.cli:main"}


def _loaded_after(statement: str) -> list[str]:
    code = f"import sys; {statement}; print(__import__('json').dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_operators_import_nothing_heavy():
    assert _loaded_after("import airflow_evalguard.operators") == []


def test_sensors_and_triggers_import_nothing_heavy():
    # the HTTP hook is only imported when an HTTP snapshot source is read
    assert (
        _loaded_after(
            "import airflow_evalguard.sensors, airflow_evalguard.triggers.polling, "
            "airflow_evalguard.triggers.latency_window, airflow_evalguard.triggers.sample_coverage"
        )
        == []
    )


def test_plugin_and_dag_file_import_nothing_heavy():
    assert _loaded_after("import airflow_evalguard.plugin") == []
    from pathlib import Path

    dag_files = sorted((Path(__file__).resolve().parents[1] / "dags").glob("*.py"))
    assert len(dag_files) >= 6
    for dag_file in dag_files:
        assert _loaded_after(f"import runpy; runpy.run_path({str(dag_file)!r})") == [], dag_file.name


def test_provider_metadata_imports_nothing_at_all():
    assert _loaded_after("import airflow_evalguard; airflow_evalguard.get_provider_info()") == []
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, airflow_evalguard; print('airflow' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.strip() == "False"


def test_schema_is_package_data():
    from importlib.resources import files

    assert files("airflow_evalguard").joinpath("schemas/result.v1.json").is_file()


def test_building_a_gate_with_literal_params_imports_nothing_heavy():
    # parse-time validation reads the check's light spec only
    statement = (
        "import airflow_evalguard.operators as ops; ops.SamplingWindowGateOperator(task_id='g', sample='s', "
        "reference='r', fail_at=0.2, dimensions=['region'])"
    )
    assert _loaded_after(statement) == []
