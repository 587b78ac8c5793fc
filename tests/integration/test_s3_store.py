"""S3Store and s3:// inputs against a real S3-compatible server (SeaweedFS on 127.0.0.1)."""

import io
import json

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.hooks.s3_reader import S3HookReader
from airflow_evalguard.publish.artifacts import publish_result
from airflow_evalguard.run import run_check
from airflow_evalguard.store import get_store
from airflow_evalguard.store.layout import RunLayout

pytestmark = pytest.mark.integration


def put_parquet(client, bucket, key, frame):
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    client.put_object(Bucket=bucket, Key=key, Body=buf.getvalue())


def traffic(n, seed, hours=None):
    rng = np.random.default_rng(seed)
    hour = rng.integers(0, 24, n) if hours is None else rng.choice(hours, n)
    ts = pd.Timestamp("2026-02-01", tz="UTC") + pd.to_timedelta(hour * 3600 + rng.integers(0, 3600, n), unit="s")
    return pd.DataFrame({"ts": ts})


def test_put_get_list_overwrite(s3_server, bucket):
    store = get_store(f"s3://{bucket}/evalguard")
    uri = store.write_bytes("d/r/t/try_1/result.json", b"{}")
    assert uri == f"s3://{bucket}/evalguard/d/r/t/try_1/result.json"
    store.write_bytes("d/r/t/try_1/result.json", b'{"v": 2}')
    assert store.read_bytes("d/r/t/try_1/result.json") == b'{"v": 2}'
    assert store.exists("d/r/t/try_1/result.json") and not store.exists("d/r/t/try_1/nope.json")
    assert store.list_keys("d") == ["d/r/t/try_1/result.json"]


def test_check_reads_s3_inputs_and_stores_artifacts_on_s3(s3_server, bucket):
    client = s3_server.client()
    put_parquet(client, bucket, "in/sample.parquet", traffic(1000, 1, hours=[2, 3]))
    put_parquet(client, bucket, "in/reference.parquet", traffic(5000, 2))
    result = run_check(
        "sampling_window",
        {"sample": f"s3://{bucket}/in/sample.parquet", "reference": f"s3://{bucket}/in/reference.parquet"},
        {},
        reader=S3HookReader(),
    )
    assert result.verdict.value == "FAIL"
    assert result.inputs[0].uri == f"s3://{bucket}/in/sample.parquet" and result.inputs[0].rows == 1000
    store = get_store(f"s3://{bucket}/artifacts")
    layout = RunLayout.of_gate("dag", "manual__2026-11-25T09:14:26+00:00 a/b", "gate", -1, 1)
    artifacts = publish_result(store, layout, result).artifacts
    listed = [o["Key"] for o in client.list_objects_v2(Bucket=bucket, Prefix="artifacts/")["Contents"]]
    history = [k for k in listed if k.startswith("artifacts/evalguard.history/dag/live/")]
    assert len(history) == 1  # the gate try's history record, beside the results
    keys = [k for k in listed if k not in history]
    assert sorted(k.rsplit("/", 1)[1] for k in keys) == [
        "evidence.parquet",
        "report.html",
        "result.json",
        "weights.parquet",
    ]
    for key in keys:  # the run id's ':', '+', ' ' and '/' never reach a key
        run_part = key.split("/")[2]
        assert not set(":+ ") & set(run_part)
    stored = json.loads(
        client.get_object(Bucket=bucket, Key=keys[[k.endswith("result.json") for k in keys].index(True)])["Body"].read()
    )
    assert stored["verdict"] == "FAIL" and stored["artifacts"] == artifacts


def test_missing_s3_key_is_an_input_error(s3_server, bucket):
    with pytest.raises(EvalGuardInputError, match=r"input 'sample': no such S3 object: s3://.*/nope.parquet"):
        run_check(
            "sampling_window",
            {"sample": f"s3://{bucket}/nope.parquet", "reference": traffic(10, 1)},
            {},
            reader=S3HookReader(),
        )


def test_a_run_folder_never_lists_a_run_whose_id_extends_it(s3_server, bucket):
    """`dag/nightly-1` and `dag/nightly-10` on a real S3 server: listings and summaries are per folder."""
    from airflow_evalguard.publish.summary import summary_entries, write_summary
    from airflow_evalguard.store.layout import run_folder
    from tests.report.hostile import hostile_result

    for root in (f"s3://{bucket}/evalguard", f"s3://{bucket}"):  # with and without a root prefix
        store = get_store(root)
        for run_id, task in (("nightly-1", "gate_1"), ("nightly-10", "gate_10")):
            publish_result(store, RunLayout.of_gate("dag", run_id, task, -1, 1), hostile_result())
        assert {k.split("/")[2] for k in store.list_keys(run_folder("dag", "nightly-1"))} == {"gate_1"}
        assert {k.split("/")[2] for k in store.list_keys("dag/nightly-1/")} == {"gate_1"}
        assert store.list_keys("dag/nightly-") == []
        assert [e["task_id"] for e in summary_entries(store, run_folder("dag", "nightly-1"))] == ["gate_1"]
        page = write_summary(store, run_folder("dag", "nightly-1"), "dag / nightly-1")
        html = store.read_bytes(page.removeprefix(root + "/")).decode()
        assert "gate_1" in html and "gate_10" not in html


def test_rewriting_an_s3_folder_uncommits_it_and_reads_only_listed_files(s3_server, bucket):
    from airflow_evalguard.publish.read import load_run
    from airflow_evalguard.result import CheckResult
    from airflow_evalguard.verdicts import Verdict

    store = get_store(f"s3://{bucket}/evalguard")
    layout = RunLayout.of_gate("dag", "r", "gate", -1, 1)
    prefix = layout.folder
    publish_result(
        store,
        layout,
        CheckResult(check="x", verdict=Verdict.FAIL, summary="old", evidence=pd.DataFrame({"old": ["SECRET-OLD"]})),
    )
    store.delete(f"{prefix}/result.json")
    assert not store.exists(f"{prefix}/result.json") and store.exists(f"{prefix}/evidence.parquet")
    publish_result(store, layout, CheckResult(check="x", verdict=Verdict.PASS, summary="new"), report=False)
    run = load_run(store, prefix)
    assert run.result["summary"] == "new" and run.evidence is None and run.evidence_note is None
