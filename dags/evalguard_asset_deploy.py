"""Deploys what `evalguard_asset_gates` validated: scheduled on `evalguard_demo_eval_validated`,
whose event's extra carries the combined verdict and each gate's verdict."""

from __future__ import annotations

import datetime as dt

from airflow.sdk import DAG, task

from airflow_evalguard.demo.assets import VALIDATED

with DAG(
    dag_id="evalguard_asset_deploy",
    schedule=[VALIDATED],
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["evalguard", "demo"],
    doc_md=__doc__,
) as dag:

    @task
    def deploy(triggering_asset_events=None) -> dict:
        extra = dict(triggering_asset_events[VALIDATED][-1].extra)
        if extra.get("verdict") not in ("PASS", "WARN"):  # belt and braces: never deploy a failed eval
            raise ValueError(f"validated asset carries verdict {extra.get('verdict')!r}")
        return {"deployed": True, "verdict": extra["verdict"], "gates": extra.get("gates")}

    deploy()
