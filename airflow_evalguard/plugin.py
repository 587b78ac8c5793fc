"""The Airflow plugin entry point (`airflow.plugins`): the report view, the UI tabs and the history
page (external_views), the extra link, a macro.

The FastAPI app is built on first access, so loading the plugin (which every Airflow component
does) costs nothing until the API server mounts it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from airflow.plugins_manager import AirflowPlugin

from airflow_evalguard.links import URL_PREFIX, EvalGuardReportLink
from airflow_evalguard.store.layout import RunLayout


def evalguard_result_prefix(dag_id: str, run_id: str, task_id: str, try_number: int = 1, map_index: int = -1) -> str:
    """The folder of one gate try as the store writes it: `{dag}/{run}/{task}[/map_{i}]/try_{n}`
    with the ids encoded (store/layout.py)."""
    return RunLayout.of_gate(dag_id, run_id, task_id, map_index, try_number).folder


@cache
def _reports_app() -> Any:
    # FastAPI and the routes load when the API server mounts the app, not in every component
    # that loads plugins (scheduler, workers, DAG processor).
    from airflow_evalguard.web.app import create_app

    return create_app()


# Views inside the Airflow UI (Airflow 3.1+): each href is a route of the reports app, framed by
# the UI; the UI fills in the {DAG_ID}, {RUN_ID}, {TASK_ID} and {MAP_INDEX} placeholders.
EXTERNAL_VIEWS = [
    {
        "name": "EvalGuard",
        "href": f"{URL_PREFIX}/ti/{{DAG_ID}}/{{RUN_ID}}/{{TASK_ID}}?map_index={{MAP_INDEX}}",
        "destination": "task_instance",
        "url_route": "evalguard-task",
    },
    {
        "name": "EvalGuard gates",
        "href": f"{URL_PREFIX}/run/{{DAG_ID}}/{{RUN_ID}}",
        "destination": "dag_run",
        "url_route": "evalguard-run",
    },
    {
        "name": "EvalGuard",
        "href": f"{URL_PREFIX}/history/{{DAG_ID}}",
        "destination": "dag",
        "url_route": "evalguard-dag",
    },
    {"name": "EvalGuard", "href": f"{URL_PREFIX}/history", "destination": "nav", "url_route": "evalguard"},
]


class EvalGuardPlugin(AirflowPlugin):
    name = "evalguard"
    macros = [evalguard_result_prefix]
    operator_extra_links = [EvalGuardReportLink()]
    external_views = EXTERNAL_VIEWS

    @property  # a property, so the app is built when the API server asks for it, not on plugin load
    def fastapi_apps(self) -> list[dict[str, Any]]:  # type: ignore[override]
        return [{"app": _reports_app(), "url_prefix": URL_PREFIX, "name": "EvalGuard reports"}]
