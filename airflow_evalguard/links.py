"""The "EvalGuard report" extra link on every gate task: the report, served by the plugin."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from airflow.configuration import conf
from airflow.sdk import BaseOperatorLink

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator
    from airflow.sdk.types import TaskInstanceKey

URL_PREFIX = "/evalguard"


def report_path(dag_id: str, run_id: str, task_id: str, try_number: int, map_index: int | None = -1) -> str:
    """The reports app's route for one gate try: `report/{dag}/{run}/{task}/{try}`, with
    `?map_index=i` for an instance of a mapped gate (relative to the app)."""
    parts = "/".join(quote(str(p), safe="") for p in (dag_id, run_id, task_id))
    index = -1 if map_index is None else int(map_index)
    return f"report/{parts}/{int(try_number)}" + (f"?map_index={index}" if index >= 0 else "")


def report_url(dag_id: str, run_id: str, task_id: str, try_number: int, map_index: int | None = -1) -> str:
    base = (conf.get("api", "base_url", fallback="") or "").rstrip("/")
    return f"{base}{URL_PREFIX}/{report_path(dag_id, run_id, task_id, try_number, map_index)}"


class EvalGuardReportLink(BaseOperatorLink):
    name = "EvalGuard report"

    def get_link(self, operator: BaseOperator, *, ti_key: TaskInstanceKey) -> str:
        return report_url(
            ti_key.dag_id,
            ti_key.run_id,
            ti_key.task_id,
            max(int(ti_key.try_number), 1),
            getattr(ti_key, "map_index", -1),
        )
