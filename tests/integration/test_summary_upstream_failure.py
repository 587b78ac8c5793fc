"""A run summary after an upstream task failed (or skipped): still FAIL (fail closed), but it says
the gates did not run and which upstream task is the cause, writes the page listing the gates
without results, and logs no traceback. Real dag.test() runs."""

import datetime as dt
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

GATES = ["sampling_window_gate", "slice_retention_gate"]


def build(tmp_path, dag_id, how):
    from airflow.sdk import DAG, task

    from airflow_evalguard.operators import EvalGuardOperator, EvalGuardSummaryOperator

    with DAG(dag_id, schedule=None, start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) as dag:

        @task
        def prepare():
            return "ok"

        @task
        def train(_):
            if how == "fail":
                raise RuntimeError("training diverged")
            from airflow.sdk.exceptions import AirflowSkipException

            raise AirflowSkipException("nothing new to train on")

        trained = train(prepare())
        gates = [
            EvalGuardOperator(
                task_id=t,
                check="sampling_window",
                inputs={"sample": "/nonexistent.parquet"},
                artifact_root=str(tmp_path / "store"),
            )
            for t in GATES
        ]
        summary = EvalGuardSummaryOperator(
            task_id="evalguard_summary", gate_task_ids=GATES, artifact_root=str(tmp_path / "store")
        )
        trained >> gates
        gates >> summary
    return dag


@pytest.mark.parametrize(
    "how, state, reason",
    [
        ("fail", "upstream_failed", "did not run: upstream task 'train' failed"),
        ("skip", "skipped", "did not run: skipped (upstream task 'train' skipped)"),
    ],
)
def test_summary_names_the_upstream_cause_and_writes_the_page(sync_dag, tmp_path, capfd, how, state, reason):
    dr = sync_dag(build(tmp_path, f"evalguard_test_upstream_{how}", how)).test()
    states = {ti.task_id: ti.state for ti in dr.get_task_instances()}
    assert states["train"] == ("failed" if how == "fail" else "skipped")
    assert all(states[g] == state for g in GATES)
    assert states["evalguard_summary"] == "failed"  # fail closed: no gate result is not a pass
    summary = dr.get_task_instance("evalguard_summary").xcom_pull(task_ids="evalguard_summary")
    assert summary["verdict"] == "FAIL"
    assert summary["gates"] == dict.fromkeys(GATES, "NOT_RUN")
    assert summary["missing"] == dict.fromkeys(GATES, reason)
    page = Path(summary["summary_uri"]).read_text()
    assert "FAIL · 2 gate(s)" in page and page.count(">NOT_RUN<") == 2 and reason.replace("'", "&#39;") in page
    logs = "".join(capfd.readouterr())  # task logs go to the console under dag.test()
    assert f"sampling_window_gate, slice_retention_gate {reason} (counted as FAIL)" in logs
    # the only tracebacks are train's own error and the summary's intended AirflowFailException
    assert "could not be written" not in logs and "EvalGuardInputError" not in logs
    assert logs.count("Traceback") <= (2 if how == "fail" else 1)


def test_a_gate_that_failed_itself_is_told_apart(sync_dag, tmp_path):
    from airflow.sdk import DAG

    from airflow_evalguard.operators import EvalGuardOperator, EvalGuardSummaryOperator

    with DAG(
        "evalguard_test_gate_failed_itself", schedule=None, start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ) as dag:
        gate = EvalGuardOperator(
            task_id="gate",
            check="sampling_window",
            inputs={"sample": "/nonexistent.parquet"},
            artifact_root=str(tmp_path / "store"),
        )
        gate >> EvalGuardSummaryOperator(
            task_id="summary", gate_task_ids=["gate"], artifact_root=str(tmp_path / "store")
        )
    dr = sync_dag(dag).test()
    summary = dr.get_task_instance("summary").xcom_pull(task_ids="summary")
    assert summary["verdict"] == "FAIL" and summary["gates"] == {"gate": "ERROR"}
    assert summary["missing"] == {"gate": "failed without a result (see its log)"}
    assert Path(summary["summary_uri"]).is_file()
