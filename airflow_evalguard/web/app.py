"""Serve stored reports through Airflow's API server, with the user's Airflow auth.

`GET /evalguard/report/{dag_id}/{run_id}/{task_id}/{try_number}` returns that gate run's
report.html (rendered from result.json on the fly when the stored report is missing);
`GET /evalguard/summary/{dag_id}/{run_id}` the run summary of all its gates. Both read through
the same store code as the operators (so an S3 report needs no public bucket), need permission to
read the DAG's task instances, and build keys only from sanitized path parts: nothing outside the
store root can be named.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import HTMLResponse

log = logging.getLogger(__name__)

REPORT_PATH = "/report/{dag_id}/{run_id}/{task_id}/{try_number}"
SUMMARY_PATH = "/summary/{dag_id}/{run_id}"


def _safe(*parts: str) -> None:
    for part in parts:
        if part in ("", ".", "..") or "/" in part or "\\" in part or "\x00" in part:
            raise HTTPException(status_code=400, detail=f"invalid path part {part!r}")


def _store():
    from airflow.configuration import conf

    from airflow_evalguard.settings import default_artifact_root
    from airflow_evalguard.store import get_store

    return get_store(default_artifact_root(), aws_conn_id=conf.get("evalguard", "aws_conn_id", fallback="aws_default"))


def _html(content: str) -> HTMLResponse:
    # The report carries its own CSP meta tag; the header repeats it for clients that read headers.
    return HTMLResponse(content, headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                                                      "img-src data:", "X-Content-Type-Options": "nosniff"})


def report(dag_id: str, run_id: str, task_id: str, try_number: int) -> HTMLResponse:
    from airflow_evalguard.exceptions import EvalGuardInputError
    from airflow_evalguard.report.load import load_run
    from airflow_evalguard.report.render import render_report
    from airflow_evalguard.store.artifacts import REPORT_FILE
    from airflow_evalguard.store.base import run_prefix

    _safe(dag_id, run_id, task_id)
    if try_number < 1:
        raise HTTPException(status_code=400, detail="try_number starts at 1")
    store = _store()
    prefix = run_prefix(dag_id, run_id, task_id, try_number)
    if store.exists(f"{prefix}/{REPORT_FILE}"):
        return _html(store.read_bytes(f"{prefix}/{REPORT_FILE}").decode("utf-8"))
    try:
        run = load_run(store, prefix)
    except EvalGuardInputError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return _html(render_report(run.result, run.evidence, run.evidence_note))


def summary(dag_id: str, run_id: str) -> HTMLResponse:
    from airflow_evalguard.report.render import render_summary
    from airflow_evalguard.report.summary import summary_entries
    from airflow_evalguard.store.base import sanitize_key_part

    _safe(dag_id, run_id)
    prefix = f"{sanitize_key_part(dag_id)}/{sanitize_key_part(run_id)}"
    entries = summary_entries(_store(), prefix)
    if not entries:
        raise HTTPException(status_code=404, detail=f"no EvalGuard results for {dag_id} / {run_id}")
    for e in entries:  # links from the summary go through this app too (relative: works under any base URL)
        parts = "/".join(quote(p, safe="") for p in (dag_id, run_id, e["task_id"]))
        e["report_href"] = f"../../report/{parts}/{e['try_number']}"
    return _html(render_summary(f"{dag_id} / {run_id}", entries))


def create_app(authorize: bool = True) -> FastAPI:
    """`authorize=False` only for tests of the routes without an Airflow auth manager."""
    app = FastAPI(title="EvalGuard reports", docs_url=None, redoc_url=None, openapi_url=None)
    deps = []
    if authorize:
        from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity
        from airflow.api_fastapi.core_api.security import requires_access_dag

        deps = [Depends(requires_access_dag(method="GET", access_entity=DagAccessEntity.TASK_INSTANCE))]
    app.add_api_route(REPORT_PATH, report, methods=["GET"], dependencies=deps, response_class=HTMLResponse)
    app.add_api_route(SUMMARY_PATH, summary, methods=["GET"], dependencies=deps, response_class=HTMLResponse)
    return app
