"""A gate mapped over three inputs (one faulted) under a real dag.test(): each map index writes,
pushes, links and summarizes its own result; nothing overwrites another instance's result."""

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.integration

DAG_ID = "evalguard_test_mapped_gates"
VERDICTS = ["PASS", "FAIL", "PASS"]


@pytest.fixture(scope="module")
def mapped_run(sync_dag, tmp_path_factory):
    from airflow.sdk import DAG

    from airflow_evalguard.demo.behaviour import refusal_labels
    from airflow_evalguard.operators import EvalGuardSummaryOperator, RefusalRegressionGateOperator

    tmp = tmp_path_factory.mktemp("mapped")
    base, healthy = refusal_labels(None)
    _, stripped = refusal_labels("sft_strips_refusals")
    base.to_parquet(tmp / "base.parquet")
    healthy.to_parquet(tmp / "healthy.parquet")
    stripped.to_parquet(tmp / "stripped.parquet")
    store = tmp / "store"
    with DAG(DAG_ID, schedule=None, start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) as dag:
        gate = RefusalRegressionGateOperator.partial(
            task_id="gate",
            baseline=str(tmp / "base.parquet"),
            artifact_root=str(store),
        ).expand(candidate=[str(tmp / f"{name}.parquet") for name in ("healthy", "stripped", "healthy")])
        gate >> EvalGuardSummaryOperator(task_id="summary", gate_task_ids=["gate"], artifact_root=str(store))
    return sync_dag(dag).test(), store


def test_each_instance_pushes_its_own_result(mapped_run):
    dr, store = mapped_run
    states = {(ti.task_id, ti.map_index): ti.state for ti in dr.get_task_instances()}
    assert states == {("gate", 0): "success", ("gate", 1): "failed", ("gate", 2): "success", ("summary", -1): "failed"}
    uris = set()
    for i, verdict in enumerate(VERDICTS):
        pushed = dr.get_task_instance("gate", map_index=i).xcom_pull(task_ids="gate", map_indexes=i)
        path = Path(pushed["artifacts"]["result"])
        assert path.parent.name == "try_1" and path.parents[1].name == f"map_{i}" and path.parents[2].name == "gate"
        assert pushed["verdict"] == verdict == json.loads(path.read_text())["verdict"]
        uris.add(path)
    assert len(uris) == 3


def test_the_summary_lists_every_instance(mapped_run):
    dr, _ = mapped_run
    summary = dr.get_task_instance("summary").xcom_pull(task_ids="summary")
    assert summary["verdict"] == "FAIL" and summary["missing"] == {}
    assert summary["gates"] == {"gate[0]": "PASS", "gate[1]": "FAIL", "gate[2]": "PASS"}
    page = Path(summary["summary_uri"]).read_text()
    for i in range(3):
        assert f">gate[{i}]<" in page and f'href="gate/map_{i}/try_1/report.html"' in page


def test_each_instance_has_its_own_link_report_and_summary_line(mapped_run, monkeypatch):
    from fastapi.testclient import TestClient

    from airflow_evalguard.links import EvalGuardReportLink
    from airflow_evalguard.web.app import create_app

    dr, store = mapped_run
    monkeypatch.setenv("AIRFLOW__EVALGUARD__ARTIFACT_ROOT", str(store))
    client = TestClient(create_app(authorize=False))
    for i, verdict in enumerate(VERDICTS):
        ti = dr.get_task_instance("gate", map_index=i)
        url = urlsplit(EvalGuardReportLink().get_link(None, ti_key=ti.key))
        assert url.query == f"map_index={i}"
        resp = client.get(url.path.removeprefix("/evalguard") + "?" + url.query)
        assert resp.status_code == 200 and f"{verdict} · refusal_regression" in resp.text
    page = client.get(f"/summary/{DAG_ID}/{dr.run_id}").text
    for i in range(3):
        assert f">gate[{i}]<" in page and f"gate/1?map_index={i}" in page
