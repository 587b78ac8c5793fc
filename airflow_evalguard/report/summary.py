"""Reports from the store: re-render one result's report, or a DAG run's summary page.

A DAG run's gates live at `{root}/{dag_id}/{run_id}/{task_id}/try_{n}/result.json`; the summary
takes the latest try of each task.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.report.load import check_schema, load_run
from airflow_evalguard.store import get_store
from airflow_evalguard.store.artifacts import REPORT_FILE, RESULT_FILE
from airflow_evalguard.store.base import ArtifactStore

SUMMARY_FILE = "summary.html"
_TRY = re.compile(r"^try_(\d+)$")


def latest_results(store: ArtifactStore, prefix: str = "") -> dict[str, str]:
    """task_id -> key of its latest try's result.json, for every gate below `prefix`."""
    best: dict[str, tuple[int, str]] = {}
    for key in store.list_keys(prefix):
        path = PurePosixPath(key)
        if path.name != RESULT_FILE or len(path.parts) < 3:
            continue
        m = _TRY.match(path.parts[-2])
        if not m:
            continue
        task = path.parts[-3]
        if task not in best or int(m.group(1)) > best[task][0]:
            best[task] = (int(m.group(1)), key)
    return {task: key for task, (_, key) in sorted(best.items())}


def summary_entries(store: ArtifactStore, prefix: str = "") -> list[dict]:
    entries = []
    base = PurePosixPath(prefix) if prefix else None
    for task, key in latest_results(store, prefix).items():
        result = json.loads(store.read_bytes(key).decode("utf-8"))
        check_schema(result, store.uri(key))
        folder = PurePosixPath(key).parent
        report_key = str(folder / REPORT_FILE)
        href = None
        if store.exists(report_key):
            href = str(folder.relative_to(base) / REPORT_FILE) if base else str(folder / REPORT_FILE)
        entries.append({"task_id": task, "check": result.get("check"), "verdict": result.get("verdict"),
                        "summary": result.get("summary"), "report_href": href, "result_uri": store.uri(key),
                        "try_number": int(folder.name.removeprefix("try_"))})
    return entries


def write_summary(store: ArtifactStore, prefix: str, title: str) -> str:
    from airflow_evalguard.report.render import render_summary

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
