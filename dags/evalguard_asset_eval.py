"""Stands for an eval DAG you do not own: it evaluates and publishes the asset
`evalguard_demo_eval_results`, whose event's extra names the result files. Nothing in it knows
about EvalGuard; `evalguard_asset_gates` is scheduled on its asset."""

from __future__ import annotations

import datetime as dt

from airflow.sdk import DAG, Param, task

from airflow_evalguard.demo.assets import EVAL_RESULTS

with DAG(
    dag_id="evalguard_asset_eval",
    schedule=None,
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["evalguard", "demo"],
    params={"fault": Param("none", type="string"), "seed": Param(0, type="integer")},
    doc_md=__doc__,
) as dag:

    @task(outlets=[EVAL_RESULTS])
    def evaluate(params=None, run_id=None, outlet_events=None) -> dict:
        from airflow_evalguard.demo.pipeline import evaluate as run
        from airflow_evalguard.demo.pipeline import generate_data, train

        data = generate_data(run_id, params["fault"], params["seed"])
        metrics = run(data, train(data))
        outlet_events[EVAL_RESULTS].extra = {**data, **metrics, "source_run_id": run_id}
        return metrics

    evaluate()
