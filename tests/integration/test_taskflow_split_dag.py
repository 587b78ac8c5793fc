"""The README's walkthrough DAG (dags/evalguard_taskflow_split.py) under dag.test(): its own
train/test split, eval rows written with ids and timestamps, paths handed to the gates by XCom.
The README shows excerpts of that file; they are checked to be its code, line for line."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.integration

DAG_FILE = REPO / "dags" / "evalguard_taskflow_split.py"


def states(dag_run) -> dict[str, str]:
    return {ti.task_id: ti.state for ti in dag_run.get_task_instances()}


@pytest.fixture(scope="module")
def split_dag(dag_from_file):
    return dag_from_file(DAG_FILE, "evalguard_taskflow_split")


def test_the_split_is_gated_and_promoted(split_dag, tmp_path):
    dag_run = split_dag.test(run_conf={"data_dir": str(tmp_path)})
    assert states(dag_run) == dict.fromkeys(
        ["split", "evaluate", "sampling_window_gate", "slice_retention_gate", "promote"], "success"
    )
    written = dag_run.get_task_instance("evaluate").xcom_pull(task_ids="evaluate")
    # the gates read the files `evaluate` wrote, found through XCom, not rebuilt paths
    retention = dag_run.get_task_instance("slice_retention_gate").xcom_pull(task_ids="slice_retention_gate")
    assert {item["name"]: item["uri"] for item in retention["inputs"]} == {
        "teacher": written["teacher"],
        "student": written["student"],
    }
    assert retention["verdict"] == "PASS"
    sampling = dag_run.get_task_instance("sampling_window_gate").xcom_pull(task_ids="sampling_window_gate")
    assert sampling["verdict"] == "PASS"
    # every eval row carries its id and timestamp; the test set is a subset of production
    test, production = pd.read_parquet(written["test"]), pd.read_parquet(written["production"])
    assert test["example_id"].is_unique and set(test["example_id"]) <= set(production["example_id"])
    assert isinstance(test["ts"].dtype, pd.DatetimeTZDtype) and len(test) == len(production) // 4


def test_a_student_that_drops_a_rare_skill_is_not_promoted(split_dag, tmp_path):
    dag_run = split_dag.test(run_conf={"data_dir": str(tmp_path), "fault": "student_drops_rare_skill"})
    task_states = states(dag_run)
    assert task_states["slice_retention_gate"] == "failed" and task_states["promote"] == "upstream_failed"
    retention = dag_run.get_task_instance("slice_retention_gate").xcom_pull(task_ids="slice_retention_gate")
    assert retention["verdict"] == "FAIL"
    assert any(s["slice"] == "skill=rare_units" and s["verdict"] == "FAIL" for s in retention["slices"])


def test_the_readme_walkthrough_is_this_dags_code():
    from tests.integration.readme_excerpt import lines_not_in_dag

    assert lines_not_in_dag("Walkthrough: your own train/test split", DAG_FILE) == []
