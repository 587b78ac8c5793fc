"""The task-instance tab "EvalGuard" and the DAG-run tab "EvalGuard gates" (plugin external_views).

`GET /ti/{dag_id}/{run_id}/{task_id}?map_index=i[&try_number=n]`: the gate's report for that
map index, the latest try unless another is asked for, with the other tries linked above it.
`GET /run/{dag_id}/{run_id}`: every gate of the run with its verdict and headline metric, and
the gates Airflow knows of that stored no result. Both are authorized as the report route is
(read access to the DAG's task instances, for the dag_id in the path) and say when a stored
result is missing from the history index.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from airflow_evalguard import operators
from airflow_evalguard.ids import encode_id
from airflow_evalguard.links import EvalGuardReportLink, report_path
from airflow_evalguard.publish.history import index_objects, is_indexed
from airflow_evalguard.publish.history_record import headline
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.layout import GateKey, RunLayout, parse_gate_file
from airflow_evalguard.web.history_html import NO_RESULT, RUN_TAB, TRIES_BAR, render
from airflow_evalguard.web.history_svg import metric_text

log = logging.getLogger(__name__)
# The gate operators by class name (the task-instance table stores the operator's class name):
# every operator the package exports except the summary, which is not a gate. A user's subclass
# has its own class name: it is found by its report link in the serialized DAG (gate_task_ids).
GATE_OPERATORS = frozenset(
    name for name in operators.__all__ if name.endswith("Operator") and name != "EvalGuardSummaryOperator"
)


def parse_map_index(text: str) -> int:
    """The tab's `{MAP_INDEX}`: an unmapped task may send -1, nothing, or the placeholder itself."""
    if text in ("", "{MAP_INDEX}", "null", "undefined"):
        return -1
    try:
        index = int(text)
    except ValueError:
        raise HTTPException(status_code=400, detail="invalid map_index") from None
    if index < -1:
        raise HTTPException(status_code=400, detail="invalid map_index")
    return index


def gate_tries(store: ArtifactStore, dag_id: str, run_id: str, task_id: str, map_index: int) -> list[int]:
    """Try numbers of the gate task instance that committed a result.json, ascending."""
    run = RunLayout.of_run(dag_id, run_id)
    base = run.listing
    tries = set()
    for key in store.list_keys(run.key(encode_id(task_id))):
        gate = parse_gate_file(key[len(base) :])
        if gate and gate.name == "result.json" and (gate.task_id, gate.map_index) == (task_id, map_index):
            tries.add(gate.try_number)
    return sorted(tries)


def _report_html(store: ArtifactStore, gate: RunLayout) -> tuple[str, dict[str, Any]]:
    # publish.read and report load pandas and Jinja2: on the first request, not at API server start
    from airflow_evalguard.publish.read import load_evidence, read_result
    from airflow_evalguard.report import render as report_render

    result, files = read_result(store, gate)
    if "report" in files and store.exists(files["report"]):
        try:
            return store.read_bytes(files["report"]).decode("utf-8"), result
        except UnicodeDecodeError:
            log.warning("EvalGuard report in %s is not UTF-8; rendering it again", gate.folder)
    evidence, note = load_evidence(store, result, files)
    return report_render.render_report(result, evidence, note), result


def _with_bar(html: str, bar: str) -> str:
    start = html.find("<body")
    end = html.find(">", start) if start >= 0 else -1
    return html[: end + 1] + bar + html[end + 1 :] if end >= 0 else bar + html


def ti_tab(
    request: Request,
    dag_id: str,
    run_id: str,
    task_id: str,
    map_index: str = Query("-1", max_length=20),
    try_number: int | None = Query(None, ge=1),
) -> HTMLResponse:
    from airflow_evalguard.publish.read import UnreadableResult

    request.app.state.check_ids(dag_id, run_id, task_id)
    index = parse_map_index(map_index)
    store = request.app.state.open_store()
    label = RunLayout.label(task_id, index)
    tries = gate_tries(store, dag_id, run_id, task_id, index)
    links = [{"n": n, "href": f"?map_index={index}&try_number={n}"} for n in tries]
    title = f"EvalGuard: {dag_id} / {run_id} / {label}"
    if not tries:
        message = "This task instance stored no EvalGuard result (it is not an EvalGuard gate, or it has not run)."
        return HTMLResponse(render(NO_RESULT, title=title, message=message, tries=[]))
    shown = try_number or tries[-1]
    if shown not in tries:
        message = f"Try {shown} stored no result."
        return HTMLResponse(render(NO_RESULT, title=title, message=message, tries=links), status_code=404)
    gate = RunLayout.of_gate(dag_id, run_id, task_id, index, shown)
    try:
        html, result = _report_html(store, gate)
    except UnreadableResult as exc:
        message = f"The result of try {shown} cannot be read: {exc.reason}"
        return HTMLResponse(render(NO_RESULT, title=title, message=message, tries=links))
    objects, _ = index_objects(store, frozenset([dag_id]))
    lagging = not is_indexed(store, GateKey(dag_id, run_id, task_id, index, shown), result, objects)
    others = [t for t in links if t["n"] != shown]
    bar = render(TRIES_BAR, shown=shown, latest=tries[-1], others=others, lagging=lagging)
    return HTMLResponse(_with_bar(html, bar))


def gate_task_ids(dag_id: str) -> frozenset[str]:
    """Task ids of the DAG (its latest serialized version) whose operator carries the "EvalGuard
    report" link: every gate operator and every subclass of one, whatever its class is named, as
    the link is inherited and Airflow records it when it serializes the DAG."""
    from airflow.models.serialized_dag import SerializedDagModel
    from airflow.utils.session import create_session

    with create_session() as session:
        dag = SerializedDagModel.get_dag(dag_id, session=session)
    if dag is None:
        return frozenset()
    return frozenset(
        task.task_id
        for task in dag.tasks
        if any(getattr(link, "name", None) == EvalGuardReportLink.name for link in task.operator_extra_links)
    )


def is_gate(operator: str | None, task_id: str, gate_ids: frozenset[str]) -> bool:
    """A gate by its class name (one of ours), else by its serialized report link (a subclass)."""
    return operator in GATE_OPERATORS or task_id in gate_ids


def airflow_gate_instances(dag_id: str, run_id: str) -> list[tuple[str, int, str | None]] | None:
    """(task_id, map_index, state) of the run's EvalGuard gate task instances, from Airflow's
    database; None when it cannot be read (the tab then lists the stored results alone)."""
    try:
        from airflow.models.taskinstance import TaskInstance
        from airflow.utils.session import create_session
        from sqlalchemy import select

        with create_session() as session:
            rows = session.execute(
                select(TaskInstance.task_id, TaskInstance.map_index, TaskInstance.state, TaskInstance.operator).where(
                    TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id
                )
            ).all()
        # the serialized DAG is read only when a task's class is not one of ours
        gate_ids = gate_task_ids(dag_id) if any(op not in GATE_OPERATORS for *_, op in rows) else frozenset()
    except Exception:  # noqa: BLE001 - logged; the stored results still show
        log.warning("EvalGuard: task instances of %s / %s could not be read", dag_id, run_id, exc_info=True)
        return None
    return [(task, int(index), state and str(state)) for task, index, state, op in rows if is_gate(op, task, gate_ids)]


def _stored_row(store: ArtifactStore, gate: GateKey, objects: list[Any]) -> tuple[dict[str, Any], bool]:
    from airflow_evalguard.publish.read import UnreadableResult, read_result

    row: dict[str, Any] = {"label": gate.label, "try_number": gate.try_number, "href": None, "check": None}
    try:
        result, _ = read_result(store, RunLayout(gate.folder))
    except UnreadableResult as exc:
        return {**row, "verdict": "UNREADABLE", "metric": "-", "summary": f"cannot be read: {exc.reason}"}, False
    href = "../../" + report_path(gate.dag_id, gate.run_id, gate.task_id, gate.try_number, gate.map_index)
    row.update(
        check=result.get("check"),
        verdict=result["verdict"],
        metric=metric_text(headline(result)),
        summary=str(result.get("summary", "")),
        href=href,
    )
    return row, not is_indexed(store, gate, result, objects)


def run_tab(request: Request, dag_id: str, run_id: str) -> HTMLResponse:
    from airflow_evalguard.publish.summary import latest_results

    request.app.state.check_ids(dag_id, run_id)
    store = request.app.state.open_store()
    stored = latest_results(store, RunLayout.of_run(dag_id, run_id))
    objects, _ = index_objects(store, frozenset([dag_id]))
    rows, lagging = [], 0
    for (task_id, index), (try_number, _) in stored.items():
        row, lags = _stored_row(store, GateKey(dag_id, run_id, task_id, index, try_number), objects)
        rows.append(row)
        lagging += lags
    known = request.app.state.gate_instances(dag_id, run_id)
    for task_id, index, state in sorted(known or []):
        if (task_id, index) not in stored:
            summary = f"no result stored (task state: {state or 'none'})"
            rows.append({"label": RunLayout.label(task_id, index), "verdict": None, "metric": "-", "summary": summary})
    unknown = (
        None
        if known is not None
        else "Gates that stored no result are not listed: Airflow's task instances could not be read."
    )
    title = f"EvalGuard gates: {dag_id} / {run_id}"
    page = render(RUN_TAB, title=title, dag_id=dag_id, run_id=run_id, rows=rows, lagging=lagging, unknown_gates=unknown)
    return HTMLResponse(page)
