"""Gate an eval whose rows live in warehouse tables: the GROUP BY runs in the warehouse, the gate
gets kilobytes of counts (README: "Gating an eval stored in a warehouse").

Four tables behind one Airflow connection: the eval set and a window of production traffic (one
row per request: ts, region, source), and the baseline and candidate models' refusal labels (one
row per prompt: prompt_id, category, expected, label). The connection may be PostgreSQL,
Snowflake, BigQuery, Databricks/Spark, Trino, Redshift, MySQL or DuckDB; the SQL is rendered in
its dialect. Set the connection id and table names with the DAG params or at trigger time.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import DAG, Param, task

from airflow_evalguard.operators import RefusalRegressionGateOperator, SamplingWindowGateOperator

with DAG(
    dag_id="evalguard_warehouse_gate",
    schedule=None,
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["evalguard", "warehouse"],
    params={
        "conn_id": Param("evalguard_warehouse", type="string", description="a DB-API (common.sql) connection"),
        "eval_table": Param("evals.eval_set", type="string"),
        "traffic_table": Param("evals.production_traffic", type="string"),
        "baseline_table": Param("evals.refusals_base", type="string"),
        "candidate_table": Param("evals.refusals_tuned", type="string"),
    },
    doc_md=__doc__,
) as dag:
    # Counts per (hour of day, region, source), computed in the warehouse for each side.
    counts = {"sql": "sampling_window_counts", "conn_id": "{{ params.conn_id }}", "dimensions": ["region", "source"]}
    sampling_window_gate = SamplingWindowGateOperator(
        task_id="sampling_window_gate",
        sample={**counts, "table": "{{ params.eval_table }}"},
        reference={**counts, "table": "{{ params.traffic_table }}"},
        dimensions=["region", "source"],
    )
    # Paired cells (category, expected, baseline label, candidate label, count), joined in the warehouse.
    refusal_regression_gate = RefusalRegressionGateOperator(
        task_id="refusal_regression_gate",
        cells={
            "sql": "refusal_cells",
            "conn_id": "{{ params.conn_id }}",
            "baseline_table": "{{ params.baseline_table }}",
            "candidate_table": "{{ params.candidate_table }}",
        },
    )

    @task
    def promote() -> str:
        return "promoted"

    [sampling_window_gate, refusal_regression_gate] >> promote()
