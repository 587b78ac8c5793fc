"""The "EvalGuard report" extra link on every gate task: the report, served by the plugin."""

from __future__ import annotations

from urllib.parse import quote

from airflow.sdk import BaseOperatorLink

URL_PREFIX = "/evalguard"


def report_url(dag_id: str, run_id: str, task_id: str, try_number: int) -> str:
    from airflow.configuration import conf

    base = (conf.get("api", "base_url", fallback="") or "").rstrip("/")
    parts = "/".join(quote(str(p), safe="") for p in (dag_id, run_id, task_id))
    return f"{base}{URL_PREFIX}/report/{parts}/{int(try_number)}"


class EvalGuardReportLink(BaseOperatorLink):
    name = "EvalGuard report"

    def get_link(self, operator, *, ti_key) -> str:
        return report_url(ti_key.dag_id, ti_key.run_id, ti_key.task_id, max(int(ti_key.try_number), 1))
