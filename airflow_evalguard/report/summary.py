"""Reports from the store: re-render one result's report, or a DAG run's summary page.

A DAG run's gates live where store/layout.py puts them; the summary takes the latest committed
try of each gate task instance (each map index of a mapped gate is its own entry). A result that
cannot be read is listed as UNREADABLE, never dropped and never a crash of the whole page.
"""

from __future__ import annotations

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.report.load import UnreadableResult, load_run, read_result
from airflow_evalguard.store import get_store
from airflow_evalguard.store.artifacts import REPORT_FILE
from airflow_evalguard.store.base import ArtifactStore, folder_prefix
from airflow_evalguard.store.layout import RESULT_FILE, SUMMARY_FILE, gate_label, latest_tries, parse_gate_file

UNREADABLE = "UNREADABLE"  # a result.json that is there but cannot be read (entry verdict)


def latest_results(store: ArtifactStore, prefix: str = "") -> dict[tuple[str, int], tuple[int, str]]:
    """(task_id, map_index) -> (try_number, key of result.json) of the latest committed try of
    every gate in the run folder `prefix`."""
    base = folder_prefix(prefix)
    rel = [k[len(base):] for k in store.list_keys(prefix) if k.startswith(base)]
    return {slot: (try_number, base + key) for slot, (try_number, key) in latest_tries(rel).items()}


def gate_entry(task_id: str, map_index: int = -1, **fields) -> dict:
    """One line of the summary page: a gate task instance and what is known about its result."""
    entry = {"task_id": task_id, "map_index": map_index, "label": gate_label(task_id, map_index),
             "try_number": None, "check": None, "verdict": None, "summary": "", "report_href": None,
             "result_uri": None}
    entry.update(fields)
    return entry


def stored_entry(store: ArtifactStore, folder: str, task_id: str, map_index: int = -1,
                 href_folder: str | None = None, **fields) -> dict:
    """The entry for the committed result in `folder`; UNREADABLE (with a reason that names no
    store path) when it cannot be read. `href_folder`: the folder relative to the page, for the
    report link."""
    entry = gate_entry(task_id, map_index, result_uri=store.uri(f"{folder}/result.json" if folder else "result.json"),
                       **fields)
    try:
        result, files = read_result(store, folder)
    except UnreadableResult as exc:
        return {**entry, "verdict": UNREADABLE, "summary": f"result.json could not be read: {exc.reason}"}
    except Exception as exc:  # noqa: BLE001 - one unreadable object must not take the page down
        return {**entry, "verdict": UNREADABLE, "summary": f"result.json could not be read ({type(exc).__name__})"}
    entry.update(check=result.get("check"), verdict=result["verdict"], summary=str(result.get("summary", "")))
    if href_folder is not None and "report" in files and store.exists(files["report"]):
        entry["report_href"] = f"{href_folder}/{REPORT_FILE}" if href_folder else REPORT_FILE
    return entry


def pushed_entry(pushed: dict, store: ArtifactStore, prefix: str, task_id: str, map_index: int = -1,
                 aws_conn_id: str | None = "aws_default") -> dict:
    """The entry for a gate's XCom result: read from exactly the result.json it points to (this
    try's, never the latest file that happens to be in a folder), linked relative to the page in
    the run folder `prefix` when it lives below it."""
    uri = (pushed.get("artifacts") or {}).get("result")
    if not isinstance(uri, str) or not uri.endswith("/" + RESULT_FILE):
        return gate_entry(task_id, map_index, check=pushed.get("check"), verdict=pushed.get("verdict"),
                          summary=str(pushed.get("summary", "")))
    page_folder = store.uri(prefix)
    if uri.startswith(page_folder + "/"):
        rel = uri[len(page_folder) + 1:]
        gate = parse_gate_file(rel)
        return stored_entry(store, f"{prefix}/{rel}".rsplit("/", 1)[0], task_id, map_index,
                            href_folder=rel.rsplit("/", 1)[0], try_number=gate.try_number if gate else None)
    return stored_entry(get_store(uri.rsplit("/", 1)[0], aws_conn_id=aws_conn_id), "", task_id, map_index)


def summary_entries(store: ArtifactStore, prefix: str = "") -> list[dict]:
    """One entry per gate task instance (latest committed try) in the run folder `prefix`."""
    base = folder_prefix(prefix)
    entries = []
    for (task_id, map_index), (try_number, key) in latest_results(store, prefix).items():
        folder = key.rsplit("/", 1)[0]
        entries.append(stored_entry(store, folder, task_id, map_index, href_folder=folder[len(base):],
                                    try_number=try_number))
    return entries


def write_summary(store: ArtifactStore, prefix: str, title: str, entries: list[dict] | None = None) -> str:
    """Write `summary.html` in the run folder `prefix`: the given entries (gates without a result
    included), else every gate stored below it."""
    from airflow_evalguard.report.render import render_summary

    if entries is None:
        entries = summary_entries(store, prefix)
        if not entries:
            raise EvalGuardInputError(f"no gate results below {store.uri(prefix or '.')}")
    key = f"{prefix}/{SUMMARY_FILE}" if prefix else SUMMARY_FILE
    return store.write_bytes(key, render_summary(title, entries).encode())


def render_location(location: str, *, summary: bool = False, out: str | None = None,
                    aws_conn_id: str | None = "aws_default") -> str:
    """`evalguard report`: re-render report.html (or the run summary) for a stored location."""
    from airflow_evalguard.report.render import render_report, render_summary

    store = get_store(location, aws_conn_id=aws_conn_id)
    if summary:
        entries = summary_entries(store, "")
        if not entries:
            raise EvalGuardInputError(f"no gate results below {location}")
        html = render_summary(location, entries)
        name = SUMMARY_FILE
    else:
        run = load_run(store, "")
        html = render_report(run.result, run.evidence, run.evidence_note)
        name = REPORT_FILE
    if out:
        from pathlib import Path

        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        return str(target)
    return store.write_bytes(name, html.encode())
