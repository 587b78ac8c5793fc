"""JudgeSnapshotSensor in real Airflow runs (dag.test()): deferred and poke modes, timeout."""

import datetime as dt

import pytest

pytestmark = pytest.mark.integration

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
FLIP = "tests.snapshot_endpoint:flip_after"


def make_dag(dag_id, sync_dag, **sensor_kwargs):
    from airflow.sdk import DAG, task

    from airflow_evalguard.sensors import JudgeSnapshotSensor

    with DAG(dag_id=dag_id, schedule=None, start_date=START, catchup=False) as dag:
        wait = JudgeSnapshotSensor(task_id="wait_for_judge", pinned_judge="judge-v1", **sensor_kwargs)

        @task
        def evaluate():
            return "scored"

        wait >> evaluate()
    return sync_dag(dag)


def states(dr):
    return {ti.task_id: ti.state for ti in dr.get_task_instances()}


@pytest.mark.parametrize("deferrable, mode", [(True, "poke"), (False, "poke"), (False, "reschedule")])
def test_waits_until_the_pinned_snapshot_is_served(tmp_path, sync_dag, deferrable, mode):
    calls = tmp_path / "calls"
    dag = make_dag(
        f"judge_pin_{deferrable}_{mode}",
        sync_dag,
        snapshot_callable=FLIP,
        callable_kwargs={"path": "", "calls_file": str(calls), "after": 3, "before": "judge-v2", "then": "judge-v1"},
        deferrable=deferrable,
        mode=mode,
        poke_interval=0.2,
        timeout=60,
    )
    dr = dag.test()
    assert states(dr) == {"wait_for_judge": "success", "evaluate": "success"}
    assert int(calls.read_text()) == 4  # three reads of the wrong snapshot, then the pinned one


@pytest.mark.parametrize("soft_fail, expected", [(True, "skipped"), (False, "failed")])
def test_timeout_skips_with_soft_fail_and_fails_without(tmp_path, sync_dag, soft_fail, expected):
    snap = tmp_path / "snapshot"
    snap.write_text("judge-v2")
    dag = make_dag(
        f"judge_pin_timeout_{soft_fail}",
        sync_dag,
        snapshot_callable="tests.snapshot_endpoint:read_snapshot_file",
        callable_kwargs={"path": str(snap)},
        deferrable=True,
        poke_interval=0.2,
        timeout=1,
        soft_fail=soft_fail,
    )
    dr = dag.test()
    assert states(dr)["wait_for_judge"] == expected
    assert states(dr)["evaluate"] in ("skipped", "upstream_failed")


def test_needs_exactly_one_source():
    from airflow_evalguard.sensors import JudgeSnapshotSensor

    with pytest.raises(ValueError, match="exactly one"):
        JudgeSnapshotSensor(task_id="w", pinned_judge="x")
    with pytest.raises(ValueError, match="needs an endpoint"):
        JudgeSnapshotSensor(task_id="w", pinned_judge="x", http_conn_id="judge_api")
