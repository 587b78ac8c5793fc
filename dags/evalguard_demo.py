"""EvalGuard demo: generate data -> train -> evaluate -> sampling-window gate -> promote.

Trigger with conf {"fault": "cron_window"} to sample the eval set by a 3 am cron: the gate
fails without retry and `promote` never runs. Healthy data ({"fault": "none"}) promotes.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import DAG, Param, task

from airflow_evalguard.operators import SamplingWindowGateOperator

with DAG(
    dag_id="evalguard_demo",
    schedule=None,
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
    catchup=False,
    tags=["evalguard", "demo"],
    params={
        "fault": Param("none", enum=["none", "cron_window"], description="fault to switch on in the eval data"),
        "seed": Param(0, type="integer"),
    },
    doc_md=__doc__,
) as dag:

    @task
    def generate_data(params=None, run_id=None) -> dict:
        from airflow_evalguard.demo.pipeline import generate_data as run

        return run(run_id, params["fault"], params["seed"])

    @task
    def train(data: dict) -> dict:
        from airflow_evalguard.demo.pipeline import train as run

        return run(data)

    @task
    def evaluate(data: dict, model: dict) -> dict:
        from airflow_evalguard.demo.pipeline import evaluate as run

        return run(data, model)

    @task
    def promote(data: dict, model: dict, metrics: dict) -> str:
        from airflow_evalguard.demo.pipeline import promote as run

        return run(data, model, metrics)

    data = generate_data()
    model = train(data)
    metrics = evaluate(data, model)
    gate = SamplingWindowGateOperator(
        task_id="sampling_window_gate",
        sample="{{ ti.xcom_pull(task_ids='evaluate')['eval_results'] }}",
        reference="{{ ti.xcom_pull(task_ids='generate_data')['reference'] }}",
        dimensions=["region", "source", "is_retry"],
        id_column="request_id",
    )
    metrics >> gate >> promote(data, model, metrics)
