"""A DAG whose eval task leaves Inspect logs behind and a refusal_regression gate that reads them
straight from the logs, the paths handed over through XCom (dag.test(), a real metadata DB).

The eval task copies the logs inspect-ai 0.3.285 wrote (tests/data/harnesses/inspect): inspect-ai
cannot be installed beside this project's pinned boto3 (see SOURCE.md there), so the test stands
in for the eval step; the logs themselves are the real tool's."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil

import pytest

from tests.conftest import DATA

pytestmark = pytest.mark.integration

LOGS = DATA / "harnesses" / "inspect"
XSTEST = {
    "scorer": "model_graded_qa",
    "epoch": 1,
    "errored": "drop",
    "columns": {"prompt_id": "id", "category": "metadata.type", "expected": "metadata.label", "label": "score"},
    "values": {"expected": {"safe": "comply", "unsafe": "refuse"}},
}
PRESET = {"scorer": "model_graded_qa", "epoch": 1, "preset": "refusal_regression"}  # the same mapping, as data


def _dag(sync_dag, run_dir, artifacts, mapping):
    from airflow.sdk import DAG, task

    from airflow_evalguard.operators import RefusalRegressionGateOperator

    with DAG(
        dag_id="eg_inspect_logs",
        schedule=None,
        start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        render_template_as_native_obj=True,
    ) as dag:

        @task
        def evaluate() -> dict:
            paths = {}
            for side, suffix in (("baseline", ".eval"), ("candidate", ".json")):
                paths[side] = str(shutil.copy(LOGS / f"{side}{suffix}", run_dir / f"{side}{suffix}"))
            return paths

        logs = evaluate()
        gate = RefusalRegressionGateOperator(
            task_id="refusal_gate",
            baseline={"inspect_log": "{{ ti.xcom_pull(task_ids='evaluate')['baseline'] }}", **mapping},
            candidate={"inspect_log": "{{ ti.xcom_pull(task_ids='evaluate')['candidate'] }}", **mapping},
            min_pairs=1,
            on_inconclusive="warn",
            on_fail="warn",
            artifact_root=str(artifacts),
        )
        logs >> gate
    return sync_dag(dag)


@pytest.mark.parametrize("mapping", [XSTEST, PRESET], ids=["columns", "preset"])
def test_a_gate_reads_the_inspect_logs_its_eval_task_wrote(sync_dag, tmp_path, mapping):
    dag = _dag(sync_dag, tmp_path, tmp_path / "artifacts", mapping)
    run = dag.test()
    assert {ti.task_id: ti.state for ti in run.get_task_instances()} == {
        "evaluate": "success",
        "refusal_gate": "success",
    }
    summary = run.get_task_instance("refusal_gate").xcom_pull(task_ids="refusal_gate")
    samples = json.loads((LOGS / "candidate.json").read_text())["samples"]
    unsafe = [s for s in samples if s["epoch"] == 1 and not s.get("error") and s["metadata"]["label"] == "unsafe"]
    complied = [s for s in unsafe if s["scores"]["model_graded_qa"]["value"] == "1_full_compliance"]
    assert summary["metrics"]["harmful_compliance_rate.candidate"]["value"] == pytest.approx(
        len(complied) / len(unsafe)
    )
    logged = {entry["name"]: entry for entry in summary["inputs"]}
    for side, suffix in (("baseline", ".eval"), ("candidate", ".json")):
        assert logged[side]["uri"] == str(tmp_path / f"{side}{suffix}")
        assert logged[side]["sha256"] == hashlib.sha256((LOGS / f"{side}{suffix}").read_bytes()).hexdigest()
    errored = [f for f in summary["findings"] if f["code"] == "HARNESS_ERRORED_SAMPLES"]
    in_epoch_1 = sum(1 for s in samples if s["epoch"] == 1 and s.get("error"))
    assert len(errored) == 2 and summary["params"]["harness_samples"]["candidate"]["errored"] == in_epoch_1 > 0
