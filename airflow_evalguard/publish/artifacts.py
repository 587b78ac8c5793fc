"""Publish one check run: tables first, then report.html, result.json last.

result.json is the commit marker: it lists every artifact's URI, and it is written only after
all of them exist, so a reader that finds result.json finds a complete run. A write to a folder
that already holds a result (a re-used prefix) first removes the old result.json, so while the
new files replace the old ones no reader takes the folder for a committed run; and readers read
only the files the result lists (publish/read.py), never one that merely sits in the folder.
"""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from typing import Any

import pyarrow as pa

from airflow_evalguard.columns.writable import writable
from airflow_evalguard.publish.history import append_record
from airflow_evalguard.publish.history_rebuild import compact_live
from airflow_evalguard.report import render
from airflow_evalguard.result import CheckResult
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.layout import RunLayout

log = logging.getLogger(__name__)


def parquet_bytes(frame: Any) -> bytes:
    """The frame (a pandas DataFrame) as parquet. A column of Python objects that mixes types
    (numbers and text in one column of a DataFrame or JSON-lines input, echoed into evidence) has
    no parquet type; such a column is written as text (columns.writable), rather than losing the
    result."""
    buf = io.BytesIO()
    try:
        frame.to_parquet(buf, index=False)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        as_text, converted = frame.copy(), []
        for column in frame.columns:
            original = frame[column]
            if original.dtype == object:
                written = writable(original)
                if written is not original:
                    as_text[column] = written
                    converted.append(column)
        log.warning("EvalGuard: column(s) %s mix value types; written to parquet as text", converted)
        buf = io.BytesIO()
        as_text.to_parquet(buf, index=False)
    return buf.getvalue()


def _report_html(result: CheckResult) -> str | None:
    """The HTML report, or None when it cannot be drawn: a report is a view of the result, and
    failing to draw it must never lose the result itself."""
    try:
        # through the module, so a test (or a plugin) that replaces render_report is honoured
        html: str = render.render_report(result.to_dict(), result.evidence)
        return html
    except Exception:  # noqa: BLE001 - logged with its traceback; result.json is still written
        log.exception("EvalGuard report for %s could not be rendered; result.json is still stored", result.check)
        return None


def publish_result(store: ArtifactStore, layout: RunLayout, result: CheckResult, *, report: bool = True) -> CheckResult:
    """Store `result` in the folder `layout` names: tables, report.html, then result.json (the
    commit marker). Returns a new result that lists every artifact's URI; `result` is unchanged."""
    if store.exists(layout.result_key):  # un-commit a re-used folder before replacing its files
        store.delete(layout.result_key)
    artifacts: dict[str, str] = {}
    if result.evidence is not None:
        artifacts["evidence"] = store.write_bytes(layout.evidence_key, parquet_bytes(result.evidence))
    for name, frame in result.tables.items():
        artifacts[name] = store.write_bytes(layout.table_key(name), parquet_bytes(frame))
    artifacts["result"] = store.uri(layout.result_key)
    if report:
        report_uri = store.uri(layout.report_key)
        # the report lists its own URI too, as result.json will
        html = _report_html(replace(result, artifacts={**artifacts, "report": report_uri}))
        if html is not None:
            store.write_bytes(layout.report_key, html.encode())
            artifacts["report"] = report_uri
    published = replace(result, artifacts=artifacts)
    store.write_bytes(layout.result_key, published.to_json().encode())
    log.info("EvalGuard artifacts written under %s", RunLayout.split_uri(artifacts["result"])[0])
    _index(store, layout, published)
    return published


def _index(store: ArtifactStore, layout: RunLayout, published: CheckResult) -> None:
    """Append the gate try to the history index (a folder that is no gate try, such as the
    CLI's --out, has none) and compact the DAG's live records when there are enough. The result
    is already committed: a failed index write is logged, and `evalguard history rebuild`
    repairs the index from the stored results."""
    parsed = RunLayout.parse_gate_key(layout.result_key)
    if parsed is None:
        return
    try:
        append_record(store, parsed[0], published.to_dict())
        compact_live(store, parsed[0].dag_id)
    except Exception:  # noqa: BLE001 - the index is a view of the results, never a reason to lose one
        log.warning("EvalGuard history index not updated for %s; `evalguard history rebuild` repairs it", parsed[0])
