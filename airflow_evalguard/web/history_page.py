"""The history page: the DAG tab `GET /history/{dag_id}` and the nav page `GET /history`.

Each gate's runs (a page of them, newest last on the axis): verdict strip, headline metric with
its interval and warn/fail lines, the runs it blocked (its task did not succeed: a verdict its
failure policy let through is listed apart) with the top finding in words, and a mark
on findings new since the gate's previous run. Filters (DAG, gate, check, date range) are a
plain GET form; paging is a cursor link, so the page reads a bounded part of the index
(publish/history.py). The DAG tab is authorized for its path's dag_id as the reports are; the
nav page shows only the DAGs the user may read (the auth manager's list), and the DAG filter
cannot reach past them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from airflow_evalguard.checks import check_names
from airflow_evalguard.links import report_path
from airflow_evalguard.publish.history import (
    DEFAULT_PAGE_RUNS,
    MAX_PAGE_RUNS,
    HistoryPage,
    HistoryQuery,
    index_objects,
    read_page,
)
from airflow_evalguard.publish.history_lag import lag_note
from airflow_evalguard.publish.history_view import GatePoint, gate_series
from airflow_evalguard.store.history_keys import SEGMENT, dag_history_folder, stamp_of
from airflow_evalguard.web.history_html import HISTORY, point_row, render, svg_markup, when
from airflow_evalguard.web.history_svg import series_svg
from airflow_evalguard.web.task_outcomes import outcome, task_key

MAX_LAG_DAGS = 10  # the nav page checks the index of at most this many of the DAGs it shows
# Same as the reports: a restrictive CSP, but the filter form may submit to this page.
HISTORY_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
    "form-action 'self'; base-uri 'none'"
)


def _day(text: str | None, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(status_code=400, detail=f"{name} must be a date, YYYY-MM-DD") from None


def _query(dag_ids: frozenset[str] | None, form: dict[str, Any], before: str | None) -> HistoryQuery:
    """`form`: the filters as given (dates YYYY-MM-DD; `runs`, the page size, already checked)."""
    since, until = _day(form["since"], "since"), _day(form["until"], "until")
    day_start = datetime.min.time()
    end = stamp_of(datetime.combine(until + timedelta(days=1), day_start)) if until else None
    cursor = min(c for c in (before, end) if c) if (before or end) else None
    try:
        return HistoryQuery(
            dag_ids=dag_ids,
            task_id=form["gate"] or None,
            check=form["check"] or None,
            since=stamp_of(datetime.combine(since, day_start)) if since else None,
            before=cursor,
            page_runs=form["runs"],
        )
    except ValueError:
        raise HTTPException(status_code=400, detail="invalid paging cursor") from None


def _verdict_rows(series: list[Any], href_of: Any, states: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(runs the gate blocked, FAIL or INCONCLUSIVE runs it let through), newest first. Blocked
    means the gate's task did not succeed (web/task_outcomes.py), not the verdict alone."""
    candidates = [(line, p) for line in series for p in line.points]
    known = states({task_key(p.record) for _, p in candidates if p.record["verdict"] != "PASS"})
    blocked, let_through = [], []
    for line, point in candidates:
        record = point.record
        if record["verdict"] == "PASS":
            continue
        stops, words = outcome(record, known.get(task_key(record)))
        row = {
            "at": record["at"],
            "when": when(record["at"]),
            "dag_id": line.dag_id,
            "run_id": record["run_id"],
            "label": line.label,
            "verdict": record["verdict"],
            "outcome": words,
            "top_finding": record["top_finding"],
            "summary": record["summary"],
            "new": point.new_findings,
            "href": href_of(point),
        }
        if stops:
            blocked.append(row)
        elif point.blocked:  # a blocking verdict its failure policy let through
            let_through.append(row)
    return (
        sorted(blocked, key=lambda row: row["at"], reverse=True),
        sorted(let_through, key=lambda row: row["at"], reverse=True),
    )


def _lag_text(request: Request, store: Any, dag_ids: list[str]) -> str | None:
    """The page's note when the index is known to lag behind the store for one of `dag_ids`
    (checked in the background by the app's LagCache: publish/history_lag.py)."""
    cache = request.app.state.lag_cache
    lags = []
    for dag_id in dag_ids[:MAX_LAG_DAGS]:
        segments = tuple(store.list_keys(f"{dag_history_folder(dag_id)}/{SEGMENT}"))  # a few keys
        lags.append(cache.lag(store, dag_id, segments))
    return lag_note([lag for lag in lags if lag is not None])


def _render(page: HistoryPage, form: dict[str, Any], base: str, states: Any, **context: Any) -> HTMLResponse:
    def href_of(point: GatePoint) -> str:
        record = point.record
        return base + report_path(
            record["dag_id"], record["run_id"], record["task_id"], record["try_number"], record["map_index"]
        )

    series = gate_series(page)
    blocked, let_through = _verdict_rows(series, href_of, states)
    shown = [
        {
            "dag_id": line.dag_id,
            "label": line.label,
            "check": line.check,
            "svg": svg_markup(series_svg(line, href_of)),
            "points": [point_row(p.record, p.new_findings, href_of(p)) for p in line.points],
        }
        for line in series
    ]
    filters = {k: v for k, v in form.items() if v and k != "paged" and not (k == "runs" and v == DEFAULT_PAGE_RUNS)}
    older = "?" + urlencode({**filters, "before": page.next_before}) if page.next_before else None
    newer = "?" + urlencode(filters) if form.get("paged") else None
    html = render(
        HISTORY,
        series=shown,
        blocked=blocked,
        let_through=let_through,
        skipped=page.skipped,
        form=form,
        checks=check_names(),
        older_href=older,
        newer_href=newer,
        **context,
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": HISTORY_CSP})


def dag_history(
    request: Request,
    dag_id: str,
    gate: str | None = Query(None, max_length=250),
    check: str | None = Query(None, max_length=250),
    since: str | None = Query(None, max_length=250),
    until: str | None = Query(None, max_length=250),
    before: str | None = Query(None, max_length=250),
    runs: int = Query(DEFAULT_PAGE_RUNS, ge=1, le=MAX_PAGE_RUNS),
) -> HTMLResponse:
    request.app.state.check_ids(dag_id, "-")
    form = {"gate": gate, "check": check, "since": since, "until": until, "runs": runs}
    store = request.app.state.open_store()
    page = read_page(store, _query(frozenset([dag_id]), form, before))
    heading = f"EvalGuard history of {dag_id}"
    lag = _lag_text(request, store, [dag_id])
    states = request.app.state.task_states
    return _render(
        page, {**form, "paged": before}, "../", states, title=heading, heading=heading, dag_choices=None, lag=lag
    )


def nav_route(readable_dags: Callable[..., frozenset[str] | None]) -> Callable[..., HTMLResponse]:
    """The nav page's route, with `readable_dags` (a FastAPI dependency: the DAG ids the user
    may read, None for every DAG in an app without auth) resolved per request."""

    def nav(
        request: Request,
        readable: frozenset[str] | None = Depends(readable_dags),
        dag: str | None = Query(None, max_length=250),
        gate: str | None = Query(None, max_length=250),
        check: str | None = Query(None, max_length=250),
        since: str | None = Query(None, max_length=250),
        until: str | None = Query(None, max_length=250),
        before: str | None = Query(None, max_length=250),
        runs: int = Query(DEFAULT_PAGE_RUNS, ge=1, le=MAX_PAGE_RUNS),
    ) -> HTMLResponse:
        form = {"dag": dag, "gate": gate, "check": check, "since": since, "until": until, "runs": runs}
        return nav_history(request, readable, form, before)

    return nav


def nav_history(
    request: Request, readable: frozenset[str] | None, form: dict[str, Any], before: str | None
) -> HTMLResponse:
    dag = form["dag"]
    store = request.app.state.open_store()
    if readable is None:
        choices = sorted({obj.dag_id for obj in index_objects(store, None)[0]})
        dag_ids = frozenset([dag]) if dag else None
    else:
        choices = sorted(readable)
        dag_ids = frozenset([dag]) & readable if dag else readable
    lag = None
    if dag_ids is not None and not dag_ids:
        page = HistoryPage([], {}, 0, None)
    else:
        page = read_page(store, _query(dag_ids, form, before))
        # the DAG asked for, else the DAGs on the page: a bounded number of listings
        shown = sorted(dag_ids) if dag_ids is not None and len(dag_ids) == 1 else sorted({r.dag_id for r in page.runs})
        lag = _lag_text(request, store, shown)
    heading = "EvalGuard history"
    no_readable = readable is not None and not readable
    context = {"title": heading, "heading": heading, "dag_choices": choices, "no_readable": no_readable, "lag": lag}
    return _render(page, {**form, "paged": before}, "", request.app.state.task_states, **context)
