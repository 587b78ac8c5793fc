"""Reports from the store: re-render one result's report, or a DAG run's summary page.

A DAG run's gates live where the RunLayout puts them; the summary takes the latest committed
try of each gate task instance (each map index of a mapped gate is its own entry). A result that
cannot be read is listed as UNREADABLE, never dropped and never a crash of the whole page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.publish.read import UnreadableResult, as_layout, load_run, read_result
from airflow_evalguard.report.render import render_report, render_summary
from airflow_evalguard.store import get_store
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.layout import RESULT_FILE, RunLayout

UNREADABLE = "UNREADABLE"  # a result.json that is there but cannot be read (entry verdict)


def latest_results(store: ArtifactStore, where: RunLayout | str = "") -> dict[tuple[str, int], tuple[int, str]]:
    """(task_id, map_index) -> (try_number, key of result.json) of the latest committed try of
    every gate in the run folder `where`."""
    layout = as_layout(where)
    return layout.latest_results(store.list_keys(layout.folder))


def gate_entry(task_id: str, map_index: int = -1, **fields: Any) -> dict[str, Any]:
    """One line of the summary page: a gate task instance and what is known about its result."""
    entry: dict[str, Any] = {
        "task_id": task_id,
        "map_index": map_index,
        "label": RunLayout.label(task_id, map_index),
        "try_number": None,
        "check": None,
        "verdict": None,
        "summary": "",
        "report_href": None,
        "result_uri": None,
    }
    entry.update(fields)
    return entry


def stored_entry(
    store: ArtifactStore,
    folder: RunLayout,
    task_id: str,
    map_index: int = -1,
    href_folder: RunLayout | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The entry for the committed result in `folder`; UNREADABLE (with a reason that names no
    store path) when it cannot be read. `href_folder`: the folder relative to the page, for the
    report link."""
    entry = gate_entry(task_id, map_index, result_uri=store.uri(folder.result_key), **fields)
    try:
        result, files = read_result(store, folder)
    except UnreadableResult as exc:
        return {**entry, "verdict": UNREADABLE, "summary": f"result.json could not be read: {exc.reason}"}
    except Exception as exc:  # noqa: BLE001 - one unreadable object must not take the page down
        return {**entry, "verdict": UNREADABLE, "summary": f"result.json could not be read ({type(exc).__name__})"}
    entry.update(check=result.get("check"), verdict=result["verdict"], summary=str(result.get("summary", "")))
    if href_folder is not None and "report" in files and store.exists(files["report"]):
        entry["report_href"] = href_folder.report_key
    return entry


def pushed_entry(
    pushed: dict[str, Any],
    store: ArtifactStore,
    where: RunLayout | str,
    task_id: str,
    map_index: int = -1,
    aws_conn_id: str | None = "aws_default",
) -> dict[str, Any]:
    """The entry for a gate's XCom result: read from exactly the result.json it points to (this
    try's, never the latest file that happens to be in a folder), linked relative to the page in
    the run folder `where` when it lives below it."""
    run = as_layout(where)
    uri = (pushed.get("artifacts") or {}).get("result")
    if not isinstance(uri, str) or not uri.endswith("/" + RESULT_FILE):
        return gate_entry(
            task_id,
            map_index,
            check=pushed.get("check"),
            verdict=pushed.get("verdict"),
            summary=str(pushed.get("summary", "")),
        )
    page_folder = store.uri(run.folder)
    if uri.startswith(page_folder + "/"):
        relative = uri[len(page_folder) + 1 :]
        gate = run.parse_gate(relative)
        gate_folder = RunLayout.split_uri(relative)[0]
        return stored_entry(
            store,
            RunLayout(run.key(gate_folder)),
            task_id,
            map_index,
            href_folder=RunLayout(gate_folder),
            try_number=gate.try_number if gate else None,
        )
    return stored_entry(
        get_store(RunLayout.split_uri(uri)[0], aws_conn_id=aws_conn_id), RunLayout(), task_id, map_index
    )


def summary_entries(store: ArtifactStore, where: RunLayout | str = "") -> list[dict[str, Any]]:
    """One entry per gate task instance (latest committed try) in the run folder `where`."""
    run = as_layout(where)
    entries = []
    for (task_id, map_index), (try_number, key) in latest_results(store, run).items():
        folder = RunLayout.split_uri(key)[0]
        entries.append(
            stored_entry(
                store,
                RunLayout(folder),
                task_id,
                map_index,
                href_folder=RunLayout(folder[len(run.listing) :]),
                try_number=try_number,
            )
        )
    return entries


def write_summary(
    store: ArtifactStore, where: RunLayout | str, title: str, entries: list[dict[str, Any]] | None = None
) -> str:
    """Write `summary.html` in the run folder `where`: the given entries (gates without a result
    included), else every gate stored below it."""
    run = as_layout(where)
    if entries is None:
        entries = summary_entries(store, run)
        if not entries:
            raise EvalGuardInputError(f"no gate results below {store.uri(run.folder or '.')}")
    return store.write_bytes(run.summary_key, render_summary(title, entries).encode())


def render_location(
    location: str, *, summary: bool = False, out: str | None = None, aws_conn_id: str | None = "aws_default"
) -> str:
    """`evalguard report`: re-render report.html (or the run summary) for a stored location."""
    store = get_store(location, aws_conn_id=aws_conn_id)
    here = RunLayout()
    if summary:
        entries = summary_entries(store, here)
        if not entries:
            raise EvalGuardInputError(f"no gate results below {location}")
        html = render_summary(location, entries)
        key = here.summary_key
    else:
        run = load_run(store, here)
        html = render_report(run.result, run.evidence, run.evidence_note)
        key = here.report_key
    if out:
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        return str(target)
    return store.write_bytes(key, html.encode())
