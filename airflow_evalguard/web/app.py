"""Serve stored reports through Airflow's API server, with the user's Airflow auth.

`GET /evalguard/report/{dag_id}/{run_id}/{task_id}/{try_number}[?map_index=i]` returns that gate
try's report.html (rendered from result.json on the fly when the stored report is missing);
`GET /evalguard/summary/{dag_id}/{run_id}` the run summary of all its gates. Both read through the
same store code as the operators (so an S3 report needs no public bucket) and need permission to
read the task instances of the DAG named in the path. That path parameter is the one Airflow's
`requires_access_dag` authorizes, and the key read is built from exactly it by the reversible
layout (store/layout.py's RunLayout): no two DAG ids share a key, so a user allowed to read one DAG can never
read another's reports, and nothing outside the store root can be named.

Every response (errors too) carries a restrictive CSP, X-Frame-Options and nosniff; error
messages name the DAG, run and task, never where the store lives.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from airflow_evalguard.links import report_path
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.layout import RunLayout
from airflow_evalguard.web.store_cache import StoreCache

log = logging.getLogger(__name__)

REPORT_PATH = "/report/{dag_id}/{run_id}/{task_id}/{try_number}"
SUMMARY_PATH = "/summary/{dag_id}/{run_id}"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; form-action 'none'; base-uri 'none'",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_AIRFLOW_ID = re.compile(r"[\w.-]{1,250}")  # Airflow's KEY_REGEX and ID_LEN for DAG and task ids


def _check_ids(dag_id: str, run_id: str, task_id: str | None = None) -> None:
    # "~" (Airflow's "any DAG") and anything else Airflow would never accept as an id is refused
    # before a key is built from it.
    for name, value in (("dag_id", dag_id), ("task_id", task_id)):
        if value is not None and not _AIRFLOW_ID.fullmatch(value):
            raise HTTPException(status_code=400, detail=f"invalid {name}")
    if not 0 < len(run_id) <= 250 or "\x00" in run_id:
        raise HTTPException(status_code=400, detail="invalid run_id")


def _new_store(root: str, aws_conn_id: str | None) -> ArtifactStore:
    from airflow_evalguard.store import get_store

    return get_store(root, aws_conn_id=aws_conn_id)


_STORES = StoreCache(_new_store)  # a store per configuration and thread, not per request (web/store_cache.py)


def _store() -> ArtifactStore:
    # Airflow's configuration and the store load on the first request, not when the API server
    # mounts the app. The configuration is read every request: a change takes effect at once.
    from airflow.configuration import conf

    from airflow_evalguard.settings import default_artifact_root

    aws_conn_id = conf.get("evalguard", "aws_conn_id", fallback="aws_default")
    return _STORES.get(default_artifact_root(), aws_conn_id)


def report(dag_id: str, run_id: str, task_id: str, try_number: int, map_index: int = Query(-1, ge=-1)) -> HTMLResponse:
    # publish and report load pandas and Jinja2: on the first request, not at API server start
    from airflow_evalguard.publish.read import UnreadableResult, load_evidence, read_result
    from airflow_evalguard.report import render

    _check_ids(dag_id, run_id, task_id)
    if try_number < 1:
        raise HTTPException(status_code=400, detail="try_number starts at 1")
    gate = RunLayout.of_gate(dag_id, run_id, task_id, map_index, try_number)
    label = RunLayout.label(task_id, map_index)
    store = _store()
    try:
        result, files = read_result(store, gate)
    except UnreadableResult as exc:
        raise HTTPException(
            status_code=404,
            detail=f"no EvalGuard result for {dag_id} / {run_id} / {label} try {try_number}: {exc.reason}",
        ) from None
    if "report" in files and store.exists(files["report"]):
        try:
            return HTMLResponse(store.read_bytes(files["report"]).decode("utf-8"))
        except UnicodeDecodeError:
            log.warning("EvalGuard report of %s / %s / %s is not UTF-8; rendering it again", dag_id, run_id, label)
    evidence, note = load_evidence(store, result, files)
    return HTMLResponse(render.render_report(result, evidence, note))


def summary(dag_id: str, run_id: str) -> HTMLResponse:
    from airflow_evalguard.publish.read import VERDICTS
    from airflow_evalguard.publish.summary import summary_entries
    from airflow_evalguard.report.render import render_summary

    _check_ids(dag_id, run_id)
    entries = summary_entries(_store(), RunLayout.of_run(dag_id, run_id))
    if not entries:
        raise HTTPException(status_code=404, detail=f"no EvalGuard results for {dag_id} / {run_id}")
    for e in entries:  # links go through this app too (relative: works under any base URL)
        readable = e["verdict"] in VERDICTS
        e["report_href"] = (
            "../../" + report_path(dag_id, run_id, e["task_id"], e["try_number"], e["map_index"]) if readable else None
        )
        e["result_uri"] = None  # where the store lives is not the reader's business
    return HTMLResponse(render_summary(f"{dag_id} / {run_id}", entries))


async def _security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    try:
        response = await call_next(request)
    except Exception:  # noqa: BLE001 - logged; the client gets a bare 500 with the same headers
        log.exception("EvalGuard reports: %s %s failed", request.method, request.url.path)
        response = PlainTextResponse("Internal Server Error", status_code=500)
    own_csp = response.headers.get("Content-Security-Policy")  # a page with a form sets its own
    response.headers.update(SECURITY_HEADERS)
    if own_csp and "frame-ancestors 'self'" in own_csp:
        response.headers["Content-Security-Policy"] = own_csp
    return response


def _every_dag() -> None:
    return None  # an app without auth (tests): the nav page shows every DAG in the index


def _add_views(app: FastAPI, deps: list[Any], readable_dags: Callable[..., frozenset[str] | None]) -> None:
    """The plugin's tabs and history pages (web/tabs.py, web/history_page.py)."""
    from airflow_evalguard.publish.history_lag import LagCache
    from airflow_evalguard.web import history_page, tabs
    from airflow_evalguard.web.task_outcomes import airflow_task_states

    app.state.open_store, app.state.check_ids, app.state.gate_instances = (
        _store,
        _check_ids,
        tabs.airflow_gate_instances,
    )
    app.state.lag_cache = LagCache()  # per app: the history pages' "index lags" answers
    app.state.task_states = airflow_task_states  # the gates' outcomes in Airflow (web/task_outcomes.py)
    app.add_api_route("/ti/{dag_id}/{run_id}/{task_id}", tabs.ti_tab, methods=["GET"], dependencies=deps)
    app.add_api_route("/run/{dag_id}/{run_id}", tabs.run_tab, methods=["GET"], dependencies=deps)
    app.add_api_route("/history/{dag_id}", history_page.dag_history, methods=["GET"], dependencies=deps)
    app.add_api_route("/history", history_page.nav_route(readable_dags), methods=["GET"])


def create_app(authorize: bool = True) -> FastAPI:
    """`authorize=False` only for tests of the routes without an Airflow auth manager."""
    app = FastAPI(title="EvalGuard reports", docs_url=None, redoc_url=None, openapi_url=None)
    app.middleware("http")(_security_headers)
    deps: list[Any] = []
    readable_dags: Callable[..., frozenset[str] | None] = _every_dag
    if authorize:
        from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity
        from airflow.api_fastapi.core_api.security import requires_access_dag

        from airflow_evalguard.web.readable import readable_dag_ids

        deps = [Depends(requires_access_dag(method="GET", access_entity=DagAccessEntity.TASK_INSTANCE))]
        readable_dags = readable_dag_ids
    app.add_api_route(REPORT_PATH, report, methods=["GET"], dependencies=deps, response_class=HTMLResponse)
    app.add_api_route(SUMMARY_PATH, summary, methods=["GET"], dependencies=deps, response_class=HTMLResponse)
    _add_views(app, deps, readable_dags)
    return app
