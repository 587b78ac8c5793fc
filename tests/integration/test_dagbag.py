from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def test_dags_folder_imports_without_errors(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(Path(__file__).resolve().parents[2] / "dags"))
    assert bag.import_errors == {}
    assert "evalguard_demo" in bag.dag_ids
    gate = bag.get_dag("evalguard_demo").get_task("sampling_window_gate")
    assert gate.check == "sampling_window"
    assert set(gate.template_fields) >= {"inputs", "check_params", "artifact_root"}
