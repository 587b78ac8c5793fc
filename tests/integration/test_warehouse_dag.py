"""The README's warehouse example (dags/evalguard_warehouse_gate.py) under dag.test(), against a
real embedded DuckDB warehouse reached through an Airflow connection (AIRFLOW_CONN_...): the
aggregations run in the database, the gates pass healthy tables and block faulty ones. The
README's excerpt is checked to be the DAG's code, line for line."""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.integration

DAG_FILE = REPO / "dags" / "evalguard_warehouse_gate.py"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """Schema `evals` holding healthy tables and faulty ones (a 3 am cron sample, a fine-tune that
    strips refusals), in one DuckDB file."""
    from airflow_evalguard.demo.behaviour import refusal_labels
    from airflow_evalguard.demo.data import eval_sample, production_traffic

    traffic = production_traffic(8000, seed=3)
    tables = {
        "production_traffic": traffic[["ts", "region", "source"]],
        "eval_set": eval_sample(traffic, 1500, seed=3)[["ts", "region", "source"]],
        "eval_set_cron": eval_sample(traffic, 1500, fault="cron_window", seed=3)[["ts", "region", "source"]],
    }
    for fault, suffix in ((None, ""), ("sft_strips_refusals", "_stripped")):
        base, tuned = refusal_labels(fault, seed=3)
        tables["refusals_base" + suffix], tables["refusals_tuned" + suffix] = base, tuned
    path = str(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb")
    with duckdb.connect(path) as con:
        con.execute("CREATE SCHEMA evals")
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(f"CREATE TABLE evals.{name} AS SELECT * FROM frame")
            con.unregister("frame")
    return path


@pytest.fixture(scope="module")
def warehouse_dag(dag_from_file):
    return dag_from_file(DAG_FILE, "evalguard_warehouse_gate")


@pytest.fixture
def connection(warehouse, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_EVALGUARD_WAREHOUSE", json.dumps({"conn_type": "duckdb", "host": warehouse}))


HEALTHY = {
    "conn_id": "evalguard_warehouse",
    "eval_table": "evals.eval_set",
    "traffic_table": "evals.production_traffic",
    "baseline_table": "evals.refusals_base",
    "candidate_table": "evals.refusals_tuned",
}


def _run(dag, **conf):
    # the whole conf every time: dag.test() keeps a run's conf in the DAG's params for the next
    dag_run = dag.test(run_conf={**HEALTHY, **conf})
    states = {ti.task_id: ti.state for ti in dag_run.get_task_instances()}
    results = {task: dag_run.get_task_instance(task).xcom_pull(task_ids=task) for task in states if task != "promote"}
    return states, results


def test_healthy_tables_are_gated_in_the_warehouse_and_promoted(warehouse_dag, connection):
    states, results = _run(warehouse_dag)
    assert states == dict.fromkeys(["sampling_window_gate", "refusal_regression_gate", "promote"], "success")
    assert {task: result["verdict"] for task, result in results.items()} == {
        "sampling_window_gate": "PASS",
        "refusal_regression_gate": "PASS",
    }


def test_a_cron_sample_and_stripped_refusals_block_promotion(warehouse_dag, connection):
    states, results = _run(
        warehouse_dag,
        eval_table="evals.eval_set_cron",
        baseline_table="evals.refusals_base_stripped",
        candidate_table="evals.refusals_tuned_stripped",
    )
    assert states == {
        "sampling_window_gate": "failed",
        "refusal_regression_gate": "failed",
        "promote": "upstream_failed",
    }
    assert {result["verdict"] for result in results.values()} == {"FAIL"}


def test_a_missing_table_fails_without_retry(warehouse_dag, connection):
    states, results = _run(warehouse_dag, traffic_table="evals.no_such_table")
    assert states["sampling_window_gate"] == "failed" and states["refusal_regression_gate"] == "success"
    assert results["sampling_window_gate"] is None  # an input error writes no result


def test_the_readme_section_is_this_dags_code():
    from tests.integration.readme_excerpt import lines_not_in_dag

    assert lines_not_in_dag("Gating an eval stored in a warehouse", DAG_FILE) == []
