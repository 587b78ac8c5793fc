"""Whether the history index lags behind the store: results published while the index write failed.

A publish writes result.json, then the gate try's index record; when the second write fails the
result stands and the index misses it until `evalguard history rebuild ROOT`. This finds such a
DAG without opening any object: one listing of the DAG's results and the index objects' names.
A gate try's result key names it (dag, run, task, map index, try), and so does a live record's
token (store/history_keys.py); a segment's name says only how many records it holds. So:

    missing = (stored tries without a live record) - (records the segments hold)

exact while the DAG has no segments, a lower bound once it has (a result deleted from the store,
or a record twice in segments after racing compactions, hides as many missing ones). A stored
result that cannot be read counts as missing too: a rebuild cannot index it, and says so.

The listing grows with the runs stored (one key per file, no object read: seconds on S3 for
thousands of runs), so the web pages never wait for it: LagCache checks a DAG in a background
thread and keeps the answer for LAG_CACHE_SECONDS while the DAG's segments are the same. A lag
shows on the page from the first view after the check, at most ten minutes after it began; a
rebuild (new segments) clears the flag at the next view. The CLI checks at once.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from airflow_evalguard.publish.history import index_objects
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.history_keys import LIVE, HistoryObject, gate_token
from airflow_evalguard.store.layout import RESULT_FILE, RunLayout

log = logging.getLogger(__name__)

LAG_CACHE_SECONDS = 600.0
_CACHE_ENTRIES = 256
REBUILD_HINT = "evalguard history rebuild ROOT"


@dataclass(frozen=True)
class IndexLag:
    dag_id: str
    stored: int  # gate tries with a committed result.json in the store
    missing: int  # of them, how many the index does not hold (see the module docstring)


def stored_tokens(store: ArtifactStore, dag_id: str) -> set[str]:
    """The gate-try tokens of every committed result of the DAG (from the listing alone)."""
    tokens = set()
    for key in store.list_keys(RunLayout.of_dag(dag_id).folder):
        if not key.endswith("/" + RESULT_FILE):
            continue
        parsed = RunLayout.parse_gate_key(key)
        if parsed is not None and parsed[1] == RESULT_FILE and parsed[0].dag_id == dag_id:
            gate = parsed[0]
            tokens.add(gate_token(gate.dag_id, gate.run_id, gate.task_id, gate.map_index, gate.try_number))
    return tokens


def index_lag(store: ArtifactStore, dag_id: str, objects: list[HistoryObject]) -> IndexLag:
    """`objects`: the DAG's index objects (publish/history.index_objects)."""
    stored = stored_tokens(store, dag_id)
    live = {obj.token for obj in objects if obj.kind == LIVE and obj.dag_id == dag_id}
    in_segments = sum(obj.count for obj in objects if obj.kind != LIVE and obj.dag_id == dag_id)
    return IndexLag(dag_id, len(stored), max(0, len(stored - live) - in_segments))


class LagCache:
    """The history pages' answers, per (store root, DAG), found in a background thread so a page
    never waits for the listing. `lag()` returns the answer kept, while it is younger than
    `seconds` and was found under the same `signature` (the DAG's segment keys: a rebuild or a
    compaction changes them), else starts a check (one per DAG at a time) and returns what is
    kept when only its age is against it, else None (not known yet). Safe to share between threads."""

    def __init__(self, seconds: float = LAG_CACHE_SECONDS, entries: int = _CACHE_ENTRIES) -> None:
        self.seconds, self.entries = seconds, entries
        self._lock = threading.Lock()
        self._kept: dict[tuple[str, str], tuple[float, tuple[str, ...], IndexLag]] = {}
        self._running: dict[tuple[str, str], threading.Thread] = {}

    def lag(self, store: ArtifactStore, dag_id: str, signature: tuple[str, ...]) -> IndexLag | None:
        slot = (store.root, dag_id)
        with self._lock:
            held = self._kept.get(slot)
            if held is not None and held[1] == signature and time.monotonic() - held[0] < self.seconds:
                return held[2]
            if slot not in self._running:
                check = threading.Thread(target=self._check, args=(store, dag_id, signature), daemon=True)
                self._running[slot] = check
                check.start()
        return held[2] if held is not None and held[1] == signature else None

    def _check(self, store: ArtifactStore, dag_id: str, signature: tuple[str, ...]) -> None:
        slot = (store.root, dag_id)
        try:
            answer = index_lag(store, dag_id, index_objects(store, frozenset([dag_id]))[0])
        except Exception:  # noqa: BLE001 - logged; the page shows no flag rather than fail
            log.warning("EvalGuard: checking the history index of %s against the store failed", dag_id, exc_info=True)
            answer = None
        with self._lock:
            if answer is not None:
                if len(self._kept) >= self.entries and slot not in self._kept:
                    self._kept.pop(next(iter(self._kept)))  # the oldest entry
                self._kept[slot] = (time.monotonic(), signature, answer)
            self._running.pop(slot, None)

    def settle(self, timeout: float = 60.0) -> None:
        """Wait for the checks under way (tests, and a caller that would rather wait)."""
        with self._lock:
            running = list(self._running.values())
        for check in running:
            check.join(timeout)


def lag_note(lags: list[IndexLag]) -> str | None:
    """The words for a page or the CLI (which add REBUILD_HINT), or None when no DAG lags."""
    lagging = [lag for lag in lags if lag.missing]
    if not lagging:
        return None
    which = ", ".join(f"{lag.dag_id} ({lag.missing} of {lag.stored})" for lag in lagging)
    return f"stored gate results missing from the history index (DAG: missing of stored): {which}"
