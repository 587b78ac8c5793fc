"""Segments of the history index: `evalguard history rebuild`, and compaction as results are published.

Rebuild makes the index again from the stored results. Compaction (after each publish) merges a
DAG's live records into one segment once there are COMPACT_AT of them, so a page never lists and
opens thousands of small objects.

The index objects present when the rebuild starts are listed first and removed only once the
segments that replace them are written; a record a worker appends meanwhile has another key and
stays. A result that cannot be read is counted, not indexed. Records are deduplicated by the
gate try they describe, so a rebuild that overlaps another, or a live record that is also in a
segment, shows once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from airflow_evalguard.publish.history import read_records, record_line
from airflow_evalguard.publish.history_record import build_record
from airflow_evalguard.publish.read import UnreadableResult, read_result
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.history_keys import (
    HISTORY_FOLDER,
    LIVE,
    dag_history_folder,
    parse_history_key,
    segment_key,
)
from airflow_evalguard.store.layout import RESULT_FILE, RunLayout

SEGMENT_RECORDS = 1000
COMPACT_AT = 200


@dataclass
class RebuildReport:
    records: int = 0
    segments: int = 0
    removed: int = 0
    unreadable: list[str] = field(default_factory=list)  # store keys of results that were skipped
    dags: set[str] = field(default_factory=set)


def write_segments(
    store: ArtifactStore, dag_id: str, records: list[dict[str, Any]], token: str | None = None
) -> list[str]:
    """Write one DAG's records as segments of at most SEGMENT_RECORDS, newest first. `token`
    names a single segment (random when not given)."""
    ordered = sorted(records, key=lambda r: (r["at"], r["token"]), reverse=True)
    keys = []
    for start in range(0, len(ordered), SEGMENT_RECORDS):
        chunk = ordered[start : start + SEGMENT_RECORDS]
        name = token if token is not None and len(ordered) <= SEGMENT_RECORDS else secrets.token_hex(8)
        key = segment_key(dag_id, chunk[0]["at"], chunk[-1]["at"], len(chunk), name)
        store.write_bytes(key, "".join(record_line(r) + "\n" for r in chunk).encode())
        keys.append(key)
    return keys


def _stored_record(store: ArtifactStore, key: str, report: RebuildReport) -> dict[str, Any] | None:
    parsed = RunLayout.parse_gate_key(key)
    if parsed is None or parsed[1] != RESULT_FILE:
        return None
    gate = parsed[0]
    try:
        result, _ = read_result(store, RunLayout(gate.folder))
    except (UnreadableResult, UnicodeDecodeError, RecursionError):
        report.unreadable.append(key)
        return None
    return build_record(gate, result)


def rebuild_index(store: ArtifactStore) -> RebuildReport:
    """Index every committed gate try in `store` again; returns what was done."""
    report = RebuildReport()
    old = [obj.key for key in store.list_keys(HISTORY_FOLDER) if (obj := parse_history_key(key))]
    by_dag: dict[str, list[dict[str, Any]]] = {}
    for key in store.list_keys(""):
        if key.startswith(HISTORY_FOLDER + "/") or not key.endswith("/" + RESULT_FILE):
            continue
        record = _stored_record(store, key, report)
        if record is not None:
            by_dag.setdefault(record["dag_id"], []).append(record)
    for dag_id, records in sorted(by_dag.items()):
        report.segments += len(write_segments(store, dag_id, records))
        report.records += len(records)
        report.dags.add(dag_id)
    for key in old:  # only now: until the segments exist, the old objects still serve the pages
        store.delete(key)
        report.removed += 1
    return report


def compact_live(store: ArtifactStore, dag_id: str, at_least: int | None = None) -> int:
    """Merge the DAG's oldest `at_least` (COMPACT_AT) live records into a segment once it has that
    many; returns how many objects were merged. Only objects read whole are removed, after the
    segment is written: one another worker removed meanwhile, or one that does not read, stays
    out of it. The segment is named by the objects merged, so workers compacting at once write
    the same segment (the same bytes to the same key); when their sets differ, the records show
    twice in the store and once on a page."""
    threshold = COMPACT_AT if at_least is None else at_least
    keys = sorted(store.list_keys(f"{dag_history_folder(dag_id)}/{LIVE}"))
    objects = [obj for key in keys if (obj := parse_history_key(key))]
    if len(objects) < threshold:
        return 0
    objects = objects[:threshold]
    merged, records = [], []
    for obj in objects:
        try:
            found, bad = read_records(store, obj)
        except Exception:  # noqa: BLE001 - gone (compacted by another worker) or unreadable: leave it
            continue
        if not bad:
            merged.append(obj.key)
            records += found
    if records:
        token = hashlib.sha256("\n".join(merged).encode()).hexdigest()[:16]
        write_segments(store, dag_id, records, token=token)
    for key in merged:
        store.delete(key)
    return len(merged)
