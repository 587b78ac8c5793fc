"""Write one check run's artifacts: tables first, result.json last.

result.json is the commit marker: it lists every artifact's URI, and it is written only after
all of them exist, so a reader that finds result.json finds a complete run. A write to a folder
that already holds a result (a re-used prefix) first removes the old result.json, so while the
new files replace the old ones no reader takes the folder for a committed run; and readers read
only the files the result lists (report/load.py), never one that merely sits in the folder.
"""

from __future__ import annotations

import io
import logging

from airflow_evalguard.columns.writable import writable
from airflow_evalguard.result import CheckResult
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.layout import RESULT_FILE

log = logging.getLogger(__name__)

EVIDENCE_FILE = "evidence.parquet"
REPORT_FILE = "report.html"


def _parquet_bytes(frame) -> bytes:
    """The frame as parquet. A column of Python objects that mixes types (numbers and text in one
    column of a DataFrame or JSON-lines input, echoed into evidence) has no parquet type; such a
    column is written as text (columns.writable), rather than losing the result."""
    import pyarrow as pa

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
        from airflow_evalguard.report.render import render_report

        return render_report(result.to_dict(), result.evidence)
    except Exception:  # noqa: BLE001 - logged with its traceback; result.json is still written
        log.exception("EvalGuard report for %s could not be rendered; result.json is still stored", result.check)
        return None


def write_artifacts(store: ArtifactStore, prefix: str, result: CheckResult, *, report: bool = True) -> dict[str, str]:
    """Store `result` under `prefix` ("" for the store root): tables, report.html, then result.json
    (the commit marker). Fills `result.artifacts` and returns it."""

    def key(name: str) -> str:
        return f"{prefix}/{name}" if prefix else name

    if store.exists(key(RESULT_FILE)):  # un-commit a re-used folder before replacing its files
        store.delete(key(RESULT_FILE))
    artifacts: dict[str, str] = {}
    if result.evidence is not None:
        artifacts["evidence"] = store.write_bytes(key(EVIDENCE_FILE), _parquet_bytes(result.evidence))
    for name, frame in result.tables.items():
        artifacts[name] = store.write_bytes(key(f"{name}.parquet"), _parquet_bytes(frame))
    artifacts["result"] = store.uri(key(RESULT_FILE))
    if report:
        artifacts["report"] = store.uri(key(REPORT_FILE))
    result.artifacts = artifacts
    if report:
        html = _report_html(result)
        if html is None:
            del artifacts["report"]
        else:
            store.write_bytes(key(REPORT_FILE), html.encode())
    store.write_bytes(key(RESULT_FILE), result.to_json().encode())
    log.info("EvalGuard artifacts written under %s", artifacts["result"].rsplit("/", 1)[0])
    return artifacts
