"""EvalGuard around a DAG you do not own: scheduled on the eval DAG's asset, it gates the eval
and publishes `evalguard_demo_eval_validated` only when every gate passed or warned (the
summary task carries the outlet, and a task emits its asset events only when it succeeds). The
deploy DAG is scheduled on that asset, so a blocked eval never triggers a deploy, and no
existing DAG was edited."""

from __future__ import annotations

import datetime as dt

from airflow.sdk import DAG, task

from airflow_evalguard.demo.assets import EVAL_RESULTS, VALIDATED
from airflow_evalguard.operators import RefusalRegressionGateOperator, SamplingWindowGateOperator, evalguard_gates

PATH = "{{{{ ti.xcom_pull(task_ids='eval_outputs')['{}'] }}}}"

with DAG(
    dag_id="evalguard_asset_gates",
    schedule=[EVAL_RESULTS],
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["evalguard", "demo"],
    doc_md=__doc__,
) as dag:

    @task
    def eval_outputs(triggering_asset_events=None) -> dict:
        """The file paths the eval DAG put in its asset event."""
        events = triggering_asset_events[EVAL_RESULTS]
        if not events:
            raise ValueError("no triggering event for the eval results asset")
        return dict(events[-1].extra)

    gates = evalguard_gates(
        [
            SamplingWindowGateOperator(
                task_id="sampling_window_gate",
                sample=PATH.format("eval_results"),
                reference=PATH.format("reference"),
                dimensions=["region", "source", "is_retry"],
            ),
            RefusalRegressionGateOperator(
                task_id="refusal_regression_gate",
                baseline=PATH.format("refusal_baseline"),
                candidate=PATH.format("refusal_candidate"),
            ),
        ],
        outlets=[VALIDATED],
    )
    eval_outputs() >> gates
