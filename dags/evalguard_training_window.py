"""EvalGuard demo: nightly training waits for the GPU pool it shares with morning inference.

`wait_for_quiet_gpus` (a deferrable LatencyWindowSensor) holds `train` while the clock is inside
the protected morning window (07:00-11:00 Europe/Berlin by default), and until the interactive
class's p99 over the last 10 minutes of the serving log is under its SLO. While it waits it frees
its worker slot. After training, `latency_tail_gate` checks the serving log for contention.
Trigger with {"protected_windows": ["HH:MM-HH:MM", ...]} to try other windows.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import DAG, Param, task

from airflow_evalguard.operators import LatencyTailGateOperator
from airflow_evalguard.sensors import LatencyWindowSensor

SLO_MS = {"interactive": 2500, "batch": 12000}

with DAG(
    dag_id="evalguard_training_window",
    schedule=None,
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["evalguard", "demo"],
    render_template_as_native_obj=True,  # protected_windows renders to a list, not its repr
    params={
        "protected_windows": Param(["07:00-11:00"], type="array", description="daily windows, local time"),
        "timezone": Param("Europe/Berlin", type="string"),
        "seed": Param(0, type="integer"),
    },
    doc_md=__doc__,
) as dag:

    @task
    def serving_log(params=None, run_id=None) -> dict:
        from airflow_evalguard.demo.pipeline import serving_log as run

        return run(run_id, params["seed"])

    @task
    def train(log: dict) -> str:
        from airflow_evalguard.demo.pipeline import train_nightly as run

        return run(log)

    log = serving_log()
    wait = LatencyWindowSensor(
        task_id="wait_for_quiet_gpus",
        protected_windows="{{ params.protected_windows }}",
        timezone="Europe/Berlin",
        latency_callable="airflow_evalguard.sensors.latency_sources:p99_from_table",
        callable_kwargs={"path": "{{ ti.xcom_pull(task_ids='serving_log')['requests'] }}"},
        slo_ms=SLO_MS["interactive"],
        stable_for_s=600,
        poke_interval=300,
        timeout=6 * 3600,
    )
    gate = LatencyTailGateOperator(
        task_id="latency_tail_gate",
        requests="{{ ti.xcom_pull(task_ids='serving_log')['requests'] }}",
        training_windows="{{ ti.xcom_pull(task_ids='serving_log')['training_windows'] }}",
        slo_ms=SLO_MS,
        baseline_endpoint="base-8b",
        protected_windows=["07:00-11:00"],
    )
    log >> wait >> train(log) >> gate
