"""The history index: appended when a result is published, read a page of runs at a time.

Each published gate try writes one small object of its own (store/history_keys.py), so
concurrent workers never race on a shared file; `history rebuild` (publish/history_rebuild.py)
merges them into segments. A page reads the index objects newest first, by their names alone,
and stops once it holds the runs it shows: what it keeps is the page's runs, the runs whose
gates finished within RUN_SPAN of the oldest of them, and one object at a time, whatever the
number of runs stored. A run is placed in time by its latest gate; gates of one run that finished
more than RUN_SPAN before the run's latest gate may be missing from a run at the end of a page.
"""

from __future__ import annotations

import heapq
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from airflow_evalguard.publish.history_read import S3LiveListing, object_reader, read_ahead
from airflow_evalguard.publish.history_record import build_record, valid_record
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.history_keys import (
    HISTORY_FOLDER,
    LIVE,
    SEGMENT,
    HistoryObject,
    dag_history_folder,
    live_key,
    parse_history_key,
    parse_stamp,
    stamp_of,
)
from airflow_evalguard.store.layout import GateKey
from airflow_evalguard.store.s3 import S3Store

log = logging.getLogger(__name__)

RUN_SPAN = timedelta(days=1)
MAX_RECORD_BYTES = 64 * 1024
MAX_SEGMENT_BYTES = 32 * 1024 * 1024
DEFAULT_PAGE_RUNS = 50
MAX_PAGE_RUNS = 500


def record_line(record: dict[str, Any]) -> str:
    return json.dumps(record, allow_nan=False, separators=(",", ":"), ensure_ascii=True)


def append_record(store: ArtifactStore, gate: GateKey, result: dict[str, Any]) -> str:
    """Write the record of one published gate try to its own key; returns the key."""
    record = build_record(gate, result)
    key = live_key(gate.dag_id, record["at"], record["token"])
    store.write_bytes(key, (record_line(record) + "\n").encode())
    return key


@dataclass(frozen=True)
class HistoryQuery:
    """Which runs a page shows. `dag_ids` None: every DAG (the CLI); otherwise only these (the
    DAGs a user may read). `since`/`before` are stamps: runs at or after `since`, before `before`."""

    dag_ids: frozenset[str] | None = None
    task_id: str | None = None
    check: str | None = None
    since: str | None = None
    before: str | None = None
    page_runs: int = DEFAULT_PAGE_RUNS

    def __post_init__(self) -> None:
        for name in ("since", "before"):
            value = getattr(self, name)
            if value is not None:
                parse_stamp(value)  # ValueError for anything but a stamp
        if not 1 <= int(self.page_runs) <= MAX_PAGE_RUNS:
            raise ValueError(f"page_runs must be 1..{MAX_PAGE_RUNS}, not {self.page_runs}")

    def wants(self, record: dict[str, Any]) -> bool:
        return (self.task_id is None or record["task_id"] == self.task_id) and (
            self.check is None or record["check"] == self.check
        )

    def in_window(self, run_at: str) -> bool:
        """Whether a run (placed at its latest gate) falls in the date range and before the cursor."""
        return (self.since is None or run_at >= self.since) and (self.before is None or run_at < self.before)


@dataclass
class RunHistory:
    """The gates of one DAG run found in the index: (task_id, map_index) -> latest try's record."""

    dag_id: str
    run_id: str
    at: str = ""  # the latest gate's stamp
    gates: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    def add(self, record: dict[str, Any]) -> None:
        slot = (record["task_id"], record["map_index"])
        held = self.gates.get(slot)
        if held is None or (record["try_number"], record["at"]) > (held["try_number"], held["at"]):
            self.gates[slot] = record
        self.at = max(self.at, record["at"])


@dataclass
class HistoryPage:
    runs: list[RunHistory]  # newest first
    earlier: dict[str, RunHistory]  # dag_id -> the newest run older than the page (for "new" marks)
    skipped: int  # corrupt or foreign index objects and lines
    next_before: str | None  # the cursor of the next page, None on the last


def index_objects(store: ArtifactStore, dag_ids: frozenset[str] | None) -> tuple[list[HistoryObject], int]:
    """The index objects of the DAGs asked for, newest first, and how many foreign keys were seen."""
    folders = [dag_history_folder(d) for d in sorted(dag_ids)] if dag_ids is not None and len(dag_ids) <= 1 else []
    keys = [k for folder in folders for k in store.list_keys(folder)] if folders else store.list_keys(HISTORY_FOLDER)
    found, foreign = [], 0
    for key in keys:
        parsed = parse_history_key(key)
        if parsed is None:
            foreign += 1
        elif dag_ids is None or parsed.dag_id in dag_ids:
            found.append(parsed)
    found.sort(key=lambda o: (o.newest, o.key), reverse=True)
    return found, foreign


def read_records(store: ArtifactStore, obj: HistoryObject) -> tuple[list[dict[str, Any]], int]:
    """The valid records of one index object and how many lines were skipped."""
    return parse_records(obj, store.read_bytes(obj.key))


def parse_records(obj: HistoryObject, data: bytes) -> tuple[list[dict[str, Any]], int]:
    """The valid records in the bytes of one index object and how many lines were skipped."""
    limit = MAX_SEGMENT_BYTES if obj.kind == SEGMENT else MAX_RECORD_BYTES
    if len(data) > limit:
        return [], 1
    records, skipped = [], 0
    for line in data.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            skipped += 1
            continue
        if valid_record(record, obj.dag_id, obj.oldest, obj.newest):
            records.append(record)
        else:
            skipped += 1
    return records, skipped


def _span_before(stamp: str) -> str:
    return stamp_of(parse_stamp(stamp) - RUN_SPAN)


class _Collector:
    """The runs seen so far, pruned to those that can still be on the page (or just before it)."""

    def __init__(self, query: HistoryQuery) -> None:
        self.query = query
        self.keep = query.page_runs + 1  # one more than shown: the run before the page
        self.runs: dict[tuple[str, str], RunHistory] = {}
        self.closed_below: str | None = None  # once set, no run older than this can enter

    def add(self, record: dict[str, Any]) -> None:
        slot = (record["dag_id"], record["run_id"])
        if slot not in self.runs:
            if self.closed_below is not None and record["at"] < self.closed_below:
                return
            self.runs[slot] = RunHistory(record["dag_id"], record["run_id"])
        self.runs[slot].add(record)

    def kth_time(self) -> str | None:
        times = sorted((r.at for r in self.runs.values() if self.query.in_window(r.at)), reverse=True)
        return times[self.keep - 1] if len(times) >= self.keep else None

    def settle(self, next_newest: str | None) -> bool:
        """Prune what can no longer make the page; True when nothing more needs reading."""
        if next_newest is None:
            return True
        since = self.query.since
        if since is not None and next_newest < _span_before(since):
            return True
        kth = self.kth_time()
        if kth is None or next_newest >= kth:
            return False
        self.closed_below = kth
        self.runs = {slot: run for slot, run in self.runs.items() if run.at >= kth}
        return next_newest < _span_before(kth)

    def newest_first(self) -> list[RunHistory]:
        shown = [r for r in self.runs.values() if self.query.in_window(r.at)]
        return sorted(shown, key=lambda r: (r.at, r.dag_id, r.run_id), reverse=True)


def _wanted_objects(objects: Iterable[HistoryObject], query: HistoryQuery) -> Iterator[HistoryObject]:
    # An object wholly newer than the cursor plus RUN_SPAN holds no gate of a run before the
    # cursor; closer ones may (a run is placed at its latest gate), and are read.
    after = stamp_of(parse_stamp(query.before) + RUN_SPAN) if query.before is not None else None
    for obj in objects:
        if after is None or obj.oldest < after:
            yield obj


def _objects_newest_first(store: ArtifactStore, query: HistoryQuery) -> tuple[Iterable[HistoryObject], list[int]]:
    """The index objects a page may read, newest first, and a one-item list counting the foreign
    keys seen (on S3 for one DAG it fills as the objects are walked: S3LiveListing lists the live
    records a window at a time)."""
    if not isinstance(store, S3Store) or query.dag_ids is None or len(query.dag_ids) != 1:
        objects, foreign = index_objects(store, query.dag_ids)
        return objects, [foreign]
    folder = dag_history_folder(next(iter(query.dag_ids)))
    counted = [0]
    segments = []
    for key in store.list_keys(f"{folder}/{SEGMENT}"):  # a few: each holds up to 1,000 records
        parsed = parse_history_key(key)
        if parsed is None:
            counted[0] += 1
        else:
            segments.append(parsed)
    segments.sort(key=_newest_first, reverse=True)
    bound = stamp_of(parse_stamp(query.before) + RUN_SPAN) if query.before is not None else None

    def live() -> Iterator[HistoryObject]:
        for key in S3LiveListing(store, f"{folder}/{LIVE}").newest_first(bound):
            parsed = parse_history_key(key)
            if parsed is None:
                counted[0] += 1
            else:
                yield parsed

    return heapq.merge(segments, live(), key=_newest_first, reverse=True), counted


def _newest_first(obj: HistoryObject) -> tuple[str, str]:
    return obj.newest, obj.key


def read_page(store: ArtifactStore, query: HistoryQuery) -> HistoryPage:
    """The newest `query.page_runs` runs that match, newest first, plus the run before each DAG's
    oldest shown run (so a finding can be marked new since the last run)."""
    objects, foreign = _objects_newest_first(store, query)
    collector = _Collector(query)
    read, parallel = object_reader(store)
    # each object with its bytes, read ahead of this walk (publish/history_read.py)
    pairs = read_ahead(_wanted_objects(objects, query), lambda obj: (obj, read(obj.key)), parallel)
    skipped = 0
    current = next(pairs, None)
    while current is not None:
        records, bad = parse_records(*current)
        skipped += bad
        for record in records:
            if query.wants(record):
                collector.add(record)
        following = next(pairs, None)
        if collector.settle(following[0].newest if following is not None else None):
            break
        current = following
    pairs.close()  # the page is full: the reads still ahead are cancelled
    skipped += foreign[0]
    ordered = collector.newest_first()
    shown, rest = ordered[: query.page_runs], ordered[query.page_runs :]
    earlier: dict[str, RunHistory] = {}
    for run in rest:
        earlier.setdefault(run.dag_id, run)
    next_before = shown[-1].at if rest else None
    return HistoryPage(shown, earlier, skipped, next_before)


def is_indexed(store: ArtifactStore, gate: GateKey, result: dict[str, Any], objects: list[HistoryObject]) -> bool:
    """Whether the index holds (or, in a segment whose time range covers it, very likely holds)
    the record of a stored gate try; `objects` is index_objects() of its DAG. False means the
    index lags behind the store: a rebuild adds it."""
    record = build_record(gate, result)
    key = live_key(gate.dag_id, record["at"], record["token"])
    return any(obj.key == key or (obj.kind == SEGMENT and obj.oldest <= record["at"] <= obj.newest) for obj in objects)
