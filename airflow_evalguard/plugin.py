"""The Airflow plugin entry point (`airflow.plugins`), so `airflow plugins` lists EvalGuard.

The report view and the task extra link are added with the HTML report; until then the plugin
registers the `evalguard_result_prefix` macro: where a task's artifacts land.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin


def evalguard_result_prefix(dag_id: str, run_id: str, task_id: str, try_number: int = 1) -> str:
    """`{dag_id}/{run_id}/{task_id}/try_{n}` as the store writes it (sanitized)."""
    from airflow_evalguard.store.base import run_prefix

    return run_prefix(dag_id, run_id, task_id, try_number)


class EvalGuardPlugin(AirflowPlugin):
    name = "evalguard"
    macros = [evalguard_result_prefix]
