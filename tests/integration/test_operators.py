"""EvalGuardOperator in real Airflow runs: outcomes, bad input, S3 artifacts, S3 down."""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.integration

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def write_traffic(path, n, seed, hours=None):
    rng = np.random.default_rng(seed)
    hour = rng.integers(0, 24, n) if hours is None else rng.choice(hours, n)
    ts = pd.Timestamp("2026-02-01", tz="UTC") + pd.to_timedelta(hour * 3600 + rng.integers(0, 3600, n), unit="s")
    pd.DataFrame({"ts": ts}).to_parquet(path)
    return str(path)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("op_inputs")
    return {
        "reference": write_traffic(d / "ref.parquet", 5000, 1),
        "night": write_traffic(d / "night.parquet", 1000, 2, hours=[2, 3]),
        "tiny": write_traffic(d / "tiny.parquet", 40, 3),
    }


def make_dag(dag_id, sync_dag, dag_kwargs=None, **gate_kwargs):
    from airflow.sdk import DAG, task

    from airflow_evalguard.operators import EvalGuardOperator

    with DAG(dag_id=dag_id, schedule=None, start_date=START, catchup=False, **(dag_kwargs or {})) as dag:
        gate = EvalGuardOperator(task_id="gate", check="sampling_window", **gate_kwargs)

        @task
        def promote():
            return "promoted"

        gate >> promote()
    return sync_dag(dag)


def states(dr):
    return {ti.task_id: ti.state for ti in dr.get_task_instances()}


def test_skip_mode_skips_promotion_and_keeps_the_verdict(files, sync_dag, tmp_path):
    dag = make_dag(
        "eg_skip",
        sync_dag,
        inputs={"sample": files["night"], "reference": files["reference"]},
        on_fail="skip",
        artifact_root=str(tmp_path),
    )
    dr = dag.test()
    assert states(dr) == {"gate": "skipped", "promote": "skipped"}
    summary = dr.get_task_instance("gate").xcom_pull(task_ids="gate")
    assert summary["verdict"] == "FAIL"
    assert list(tmp_path.rglob("result.json"))


def test_inconclusive_as_warn_lets_promotion_run(files, sync_dag, tmp_path):
    dag = make_dag(
        "eg_warn",
        sync_dag,
        inputs={"sample": files["tiny"], "reference": files["reference"]},
        on_inconclusive="warn",
        artifact_root=str(tmp_path),
    )
    dr = dag.test()
    assert states(dr) == {"gate": "success", "promote": "success"}
    assert dr.get_task_instance("gate").xcom_pull(task_ids="gate")["verdict"] == "INCONCLUSIVE"


def test_templated_params_and_inputs(files, sync_dag, tmp_path):
    dag = make_dag(
        "eg_templated",
        sync_dag,
        dag_kwargs={"params": {"sample": files["night"], "fail_at": 0.95}, "render_template_as_native_obj": True},
        inputs={"sample": "{{ params.sample }}", "reference": files["reference"]},
        check_params={"fail_at": "{{ params.fail_at }}", "warn_at": 0.1, "min_coverage": 0.05},
        artifact_root="{{ params.sample | replace('night.parquet', '') }}templated_store",
    )
    dr = dag.test()
    # the night sample's TVD (~0.9) is under the templated fail_at of 0.95 and coverage is waived: WARN
    assert states(dr) == {"gate": "success", "promote": "success"}
    summary = dr.get_task_instance("gate").xcom_pull(task_ids="gate")
    assert summary["verdict"] == "WARN" and summary["params"]["fail_at"] == 0.95
    assert summary["inputs"][0]["uri"] == files["night"]
    assert "templated_store" in summary["artifacts"]["result"]


def test_a_reference_over_auto_stream_rows_is_streamed_in_the_worker(files, sync_dag, tmp_path, monkeypatch):
    """The operator's own threshold wins over the environment's; the result says the form that ran."""
    monkeypatch.setenv("EVALGUARD_AUTO_STREAM_ROWS", "0")  # would stream the sample too
    inputs = {"sample": files["night"], "reference": files["reference"]}
    dag = make_dag("eg_auto_stream", sync_dag, inputs=inputs, auto_stream_rows=1000, artifact_root=str(tmp_path))
    dr = dag.test()
    summary = dr.get_task_instance("gate").xcom_pull(task_ids="gate")
    assert summary["verdict"] == "FAIL"
    (result,) = tmp_path.rglob("result.json")
    sources = json.loads(result.read_text())["params"]["input_sources"]
    assert sources == {"reference": {"form": "stream (automatic: 5000 rows > 1000)", "path": files["reference"]}}


def test_bad_input_fails_without_retry_and_writes_nothing(files, sync_dag, tmp_path):
    dag = make_dag(
        "eg_bad_input",
        sync_dag,
        inputs={"sample": str(tmp_path / "missing.parquet"), "reference": files["reference"]},
        artifact_root=str(tmp_path / "store"),
        retries=2,
        retry_delay=dt.timedelta(seconds=0),
    )
    dr = dag.test()
    ti = dr.get_task_instance("gate")
    assert ti.state == "failed" and ti.try_number == 1
    assert states(dr)["promote"] == "upstream_failed"
    assert not (tmp_path / "store").exists()


def test_s3_inputs_and_artifact_root(files, sync_dag, s3_server, bucket):
    client = s3_server.client()
    for name in ("night", "reference"):
        with open(files[name], "rb") as fh:
            client.put_object(Bucket=bucket, Key=f"inputs/{name}.parquet", Body=fh.read())
    dag = make_dag(
        "eg_s3",
        sync_dag,
        inputs={
            "sample": f"s3://{bucket}/inputs/night.parquet",
            "reference": f"s3://{bucket}/inputs/reference.parquet",
        },
        artifact_root=f"s3://{bucket}/evalguard",
    )
    dr = dag.test()
    assert states(dr)["gate"] == "failed"
    summary = dr.get_task_instance("gate").xcom_pull(task_ids="gate")
    assert summary["artifacts"]["result"].startswith(f"s3://{bucket}/evalguard/eg_s3/")
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket, Prefix="evalguard/")["Contents"]]
    assert any(k.endswith("/gate/try_1/result.json") for k in keys)
    body = client.get_object(Bucket=bucket, Key=[k for k in keys if k.endswith("result.json")][0])["Body"].read()
    assert b'"verdict": "FAIL"' in body


def test_s3_down_is_retryable_and_leaves_nothing_half_written(files, sync_dag, tmp_path_factory):
    """The artifact store's server is down: the task fails with an ordinary (retryable) error."""
    import os

    from tests.integration.s3_server import SeaweedS3

    server = SeaweedS3(tmp_path_factory.mktemp("seaweed_down"))
    server.start()
    server.client().create_bucket(Bucket="down")
    server.stop()
    os.environ["AIRFLOW_CONN_S3_DOWN"] = server.connection_uri_json()
    try:
        dag = make_dag(
            "eg_s3_down",
            sync_dag,
            inputs={"sample": files["night"], "reference": files["reference"]},
            artifact_root="s3://down/evalguard",
            aws_conn_id="s3_down",
            retries=1,
            retry_delay=dt.timedelta(seconds=0),
        )
        dr = dag.test()
        ti = dr.get_task_instance("gate")
        assert ti.state == "failed"
        assert ti.try_number == 2  # retried: infrastructure errors are not fail-fast
        server.start()
        listed = server.client().list_objects_v2(Bucket="down")
        assert listed.get("KeyCount", 0) == 0
    finally:
        server.stop()
        os.environ.pop("AIRFLOW_CONN_S3_DOWN", None)
