"""Gates around DAGs people already have: the TaskGroup helper inside a DAG (dag.test()), and
asset events that carry the verdict. The asset-scheduled chain (eval -> gates -> deploy) needs a
scheduler and is tested on the real deployment (test_e2e.py)."""

import datetime as dt
import json
from pathlib import Path

import pytest


def states(dr):
    return {ti.task_id: ti.state for ti in dr.get_task_instances()}


pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def dagbag(airflow_db):
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db

    DagBundlesManager().sync_bundles_to_db()
    bag = DagBag(dag_folder=str(Path(__file__).resolve().parents[2] / "dags"))
    assert bag.import_errors == {}
    sync_bag_to_db(bag, "dags-folder", None)
    return bag


def test_inline_gates_promote_healthy_data_and_write_the_summary(dagbag):
    dr = dagbag.get_dag("evalguard_gates_inline").test(run_conf={"fault": "none"})
    s = states(dr)
    assert s["evalguard_summary"] == "success" and s["promote"] == "success"
    summary = dr.get_task_instance("evalguard_summary").xcom_pull(task_ids="evalguard_summary")
    assert summary["verdict"] == "PASS"
    assert summary["gates"] == {"sampling_window_gate": "PASS", "refusal_regression_gate": "PASS"}
    page = Path(summary["summary_uri"]).read_text()
    assert "sampling_window_gate" in page and "refusal_regression_gate" in page


def test_inline_gates_block_promotion_when_one_gate_fails(dagbag):
    dr = dagbag.get_dag("evalguard_gates_inline").test(run_conf={"fault": "cron_window"})
    s = states(dr)
    assert s["sampling_window_gate"] == "failed" and s["refusal_regression_gate"] == "success"
    assert s["evalguard_summary"] == "failed" and s["promote"] == "upstream_failed"
    summary = dr.get_task_instance("evalguard_summary").xcom_pull(task_ids="evalguard_summary")
    assert summary["verdict"] == "FAIL" and summary["gates"]["sampling_window_gate"] == "FAIL"


def test_gate_outlets_carry_the_verdict_in_the_asset_event(sync_dag, tmp_path):
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.sdk import DAG, Asset
    from airflow.utils.session import create_session
    from sqlalchemy import select

    from airflow_evalguard.demo.behaviour import refusal_labels
    from airflow_evalguard.operators import RefusalRegressionGateOperator

    base, cand = refusal_labels(None)
    base.to_parquet(tmp_path / "b.parquet")
    cand.to_parquet(tmp_path / "c.parquet")
    asset = Asset("evalguard_test_refusals_checked")
    with DAG("gate_with_outlet", schedule=None, start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) as dag:
        RefusalRegressionGateOperator(
            task_id="gate", baseline=str(tmp_path / "b.parquet"), candidate=str(tmp_path / "c.parquet"), outlets=[asset]
        )
    dr = sync_dag(dag).test()
    assert states(dr) == {"gate": "success"}
    with create_session() as session:
        event = session.scalars(
            select(AssetEvent)
            .join(AssetModel, AssetEvent.asset_id == AssetModel.id)
            .where(AssetModel.name == asset.name)
        ).one()
        extra = dict(event.extra)
    assert extra["check"] == "refusal_regression" and extra["verdict"] == "PASS"
    assert Path(extra["result_uri"]).is_file() and "harmful_compliance_rate.delta" in extra["metrics"]
    json.dumps(extra)  # plain JSON for any consumer
