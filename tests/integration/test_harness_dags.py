"""The harness-log example DAGs (dags/evalguard_inspect_eval.py, dags/evalguard_lm_eval_distill.py)
under dag.test(): Inspect run for real in its own interpreter, its logs read by the gates; and
both DAGs' clear skip when the harness's interpreter is absent.

The real Inspect run needs `.venv-inspect` (`make inspect-venv`; or EVALGUARD_INSPECT_PYTHON).
Without it the test skips and says so, except under CI=true, where it fails: a CI job must not
pass without having run the real tool (docs/decisions/harness-in-its-own-interpreter.md)."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.integration

INSPECT_PYTHON = Path(os.environ.get("EVALGUARD_INSPECT_PYTHON", REPO / ".venv-inspect" / "bin" / "python"))


def states(dag_run) -> dict[str, str]:
    return {ti.task_id: ti.state for ti in dag_run.get_task_instances()}


@pytest.fixture(scope="module")
def dagbag(airflow_db):
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db

    DagBundlesManager().sync_bundles_to_db()
    bag = DagBag(dag_folder=str(REPO / "dags"))
    assert bag.import_errors == {}
    sync_bag_to_db(bag, "dags-folder", None)
    return bag


def test_harness_task_files_are_not_parsed_as_dags(dagbag):
    # they import inspect_ai / are lm-eval YAML: .airflowignore keeps the DAG processor out
    assert not any("harness_tasks" in path for path in dagbag.file_last_changed)
    assert {"evalguard_inspect_eval", "evalguard_lm_eval_distill"} <= set(dagbag.dag_ids)


@pytest.mark.parametrize(
    ("dag_id", "conf"),
    [
        ("evalguard_inspect_eval", {"inspect_python": "/nonexistent/inspect/python"}),
        ("evalguard_lm_eval_distill", {"lm_eval_python": "/nonexistent/lm-eval/python"}),
    ],
)
def test_without_the_harness_interpreter_nothing_is_gated_or_promoted(dagbag, dag_id, conf, tmp_path):
    dag = dagbag.get_dag(dag_id)
    dag_run = dag.test(run_conf={**conf, "log_dir": str(tmp_path), "output_dir": str(tmp_path)})
    assert set(states(dag_run).values()) == {"skipped"}, states(dag_run)
    assert list(tmp_path.iterdir()) == []


def _need_inspect() -> None:
    if INSPECT_PYTHON.exists():
        return
    reason = f"no Inspect interpreter at {INSPECT_PYTHON}: run `make inspect-venv` (about 1-3 minutes)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def test_the_gates_read_the_logs_inspect_writes(dagbag, tmp_path):
    _need_inspect()
    started = time.time()
    dag_run = dagbag.get_dag("evalguard_inspect_eval").test(
        run_conf={"inspect_python": str(INSPECT_PYTHON), "log_dir": str(tmp_path)}
    )
    print(f"evalguard_inspect_eval under dag.test(): {time.time() - started:.1f} s")
    task_states = states(dag_run)
    assert task_states["inspect_baseline"] == task_states["inspect_candidate"] == "success", task_states

    # the logs were written now, by Inspect: zip archives with a header and one member per sample
    logs = {
        role: dag_run.get_task_instance(f"inspect_{role}").xcom_pull(task_ids=f"inspect_{role}")
        for role in ("baseline", "candidate")
    }
    for role, log in logs.items():
        path = Path(log)
        assert path.is_relative_to(tmp_path / dag_run.run_id / role) and path.suffix == ".eval"
        assert path.stat().st_mtime >= started - 1
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        assert "header.json" in names and sum(name.startswith("samples/") for name in names) == 8

    # the tuned model complies with 2 of 4 harmful prompts: a regression eight pairs cannot
    # settle, so the gate is INCONCLUSIVE and, failing closed, blocks promotion
    refusal = dag_run.get_task_instance("refusal_regression_gate").xcom_pull(task_ids="refusal_regression_gate")
    assert task_states["refusal_regression_gate"] == "failed" and refusal["verdict"] == "INCONCLUSIVE"
    assert {item["name"]: item["rows"] for item in refusal["inputs"]} == {"baseline": 8, "candidate": 8}
    assert refusal["metrics"]["harmful_compliance_rate.delta"]["value"] == pytest.approx(0.5)
    # every grade came from the pinned judge (the grader model Inspect recorded per score)
    judge = dag_run.get_task_instance("judge_drift_gate").xcom_pull(task_ids="judge_drift_gate")
    assert task_states["judge_drift_gate"] == "success" and judge["metrics"]["unpinned_share"]["value"] == 0
    assert task_states["promote"] == "upstream_failed"


LM_EVAL_PYTHON = os.environ.get("EVALGUARD_LM_EVAL_PYTHON")


@pytest.mark.skipif(
    not LM_EVAL_PYTHON,
    reason="EVALGUARD_LM_EVAL_PYTHON is not set (a Python with lm-eval==0.4.13); the lm-eval reader itself "
    "is tested on samples the real tool wrote (tests/data/harnesses/lm_eval)",
)
def test_the_gate_reads_the_samples_lm_eval_writes(dagbag, tmp_path):
    started = time.time()
    dag_run = dagbag.get_dag("evalguard_lm_eval_distill").test(
        run_conf={"lm_eval_python": LM_EVAL_PYTHON, "output_dir": str(tmp_path)}
    )
    print(f"evalguard_lm_eval_distill under dag.test(): {time.time() - started:.1f} s")
    task_states = states(dag_run)
    assert {task_states[task] for task in ("lm_eval_teacher", "lm_eval_student", "locate_teacher")} == {"success"}
    located = dag_run.get_task_instance("locate_student").xcom_pull(task_ids="locate_student")
    assert [Path(path).name.split("_2")[0] for path in located["samples"]] == [
        "samples_mini_safety_bio",
        "samples_mini_safety_cyber",
    ]
    assert all(Path(path).stat().st_mtime >= started - 1 for path in [located["results"], *located["samples"]])
    gate = dag_run.get_task_instance("slice_retention_gate").xcom_pull(task_ids="slice_retention_gate")
    # 5 + 4 docs of the group's two subtasks, paired on the docs' own ids
    assert {item["name"]: item["rows"] for item in gate["inputs"]} == {"teacher": 9, "student": 9}
    # the dummy model with one seed answers both runs alike, but nine docs settle no slice: the
    # gate fails closed and nothing is promoted
    assert gate["verdict"] == "INCONCLUSIVE" and task_states["promote"] == "upstream_failed"
