"""EvalGuard inside a DAG you own: `evaluate >> evalguard_gates([...]) >> promote`.

The gates run side by side in one TaskGroup; its summary task writes the run summary page
(summary.html next to the gates' results) and pushes the combined verdict. `promote` runs only
when every gate passed or warned. Trigger with {"fault": "cron_window"} (or another demo fault)
to see it blocked.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import DAG, Param, task

from airflow_evalguard.operators import RefusalRegressionGateOperator, SamplingWindowGateOperator, evalguard_gates

PATH = "{{{{ ti.xcom_pull(task_ids='generate_data')['{}'] }}}}"

with DAG(
    dag_id="evalguard_gates_inline",
    schedule=None,
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["evalguard", "demo"],
    params={"fault": Param("none", type="string"), "seed": Param(0, type="integer")},
    doc_md=__doc__,
) as dag:

    @task
    def generate_data(params=None, run_id=None) -> dict:
        from airflow_evalguard.demo.pipeline import generate_data as run

        return run(run_id, params["fault"], params["seed"])

    @task
    def evaluate(data: dict) -> dict:
        from airflow_evalguard.demo.pipeline import evaluate as run
        from airflow_evalguard.demo.pipeline import train

        return run(data, train(data))

    @task
    def promote(metrics: dict) -> str:
        return f"promoted at accuracy {metrics['accuracy']:.3f}"

    data = generate_data()
    metrics = evaluate(data)
    gates = evalguard_gates(
        [
            SamplingWindowGateOperator(
                task_id="sampling_window_gate",
                sample="{{ ti.xcom_pull(task_ids='evaluate')['eval_results'] }}",
                reference=PATH.format("reference"),
                dimensions=["region", "source", "is_retry"],
            ),
            RefusalRegressionGateOperator(
                task_id="refusal_regression_gate",
                baseline=PATH.format("refusal_baseline"),
                candidate=PATH.format("refusal_candidate"),
            ),
        ]
    )
    metrics >> gates >> promote(metrics)
