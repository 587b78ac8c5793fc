"""Keys of the history index: one small object per gate try, merged into segments on rebuild.

    {root}/evalguard.history/{dag_id}/live/{stamp}-{token}.json                   one record
    {root}/evalguard.history/{dag_id}/seg/{newest}-{oldest}-{count}-{token}.jsonl  merged records

`stamp` is the UTC time the gate try finished, `YYYYmmddTHHMMSSffffffZ`, so names sort by time
and a reader can take the newest objects first without opening any. A live record's `token` is a
hash of the gate try (dag, run, task, map index, try), so writing it twice writes the same key and
a reader can tell whether a stored result reached the index; a segment's token is random. Every
writer writes its own key: nothing is ever read, changed and written back, so two workers
publishing at once never lose each other's record.

The folder name holds a `.`, which no encoded id has (ids.py), so it never meets a DAG's folder.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from airflow_evalguard.ids import decode_id, encode_id

HISTORY_FOLDER = "evalguard.history"
LIVE, SEGMENT = "live", "seg"
STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_STAMP = r"[0-9]{8}T[0-9]{12}Z"
_LIVE_NAME = re.compile(rf"^({_STAMP})-([0-9a-f]{{16}})\.json$")
_SEGMENT_NAME = re.compile(rf"^({_STAMP})-({_STAMP})-([1-9][0-9]{{0,6}})-([0-9a-f]{{16}})\.jsonl$")


def stamp_of(moment: datetime) -> str:
    """A sortable UTC stamp; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


def parse_stamp(stamp: str) -> datetime:
    return datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC)


def gate_token(dag_id: str, run_id: str, task_id: str, map_index: int, try_number: int) -> str:
    """16 hex digits naming one gate try (the ids are joined by NUL, which no id contains)."""
    joined = "\0".join((dag_id, run_id, task_id, str(int(map_index)), str(int(try_number))))
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def dag_history_folder(dag_id: str) -> str:
    return f"{HISTORY_FOLDER}/{encode_id(dag_id)}"


def live_key(dag_id: str, stamp: str, token: str) -> str:
    return f"{dag_history_folder(dag_id)}/{LIVE}/{stamp}-{token}.json"


def segment_key(dag_id: str, newest: str, oldest: str, count: int, token: str) -> str:
    return f"{dag_history_folder(dag_id)}/{SEGMENT}/{newest}-{oldest}-{int(count)}-{token}.jsonl"


@lru_cache(maxsize=4096)
def _dag_id(encoded: str) -> str | None:
    """The DAG id of a folder (cached: a listing names the same few folders thousands of times)."""
    try:
        return decode_id(encoded)
    except ValueError:
        return None


@dataclass(frozen=True)
class HistoryObject:
    """One stored object of the index, as its key names it (nothing read)."""

    key: str
    dag_id: str
    kind: str  # LIVE or SEGMENT
    newest: str  # stamps: a live record has one, newest == oldest
    oldest: str
    token: str
    count: int = 1  # records it holds, as its name says (a live record holds one)


def parse_history_key(key: str) -> HistoryObject | None:
    """A key relative to the store root -> HistoryObject; None for anything else (a foreign file,
    a temporary file, a key that does not decode)."""
    parts = key.split("/")
    if len(parts) < 4 or parts[0] != HISTORY_FOLDER:
        return None
    dag_id = _dag_id("/".join(parts[1:-2]))
    if dag_id is None:
        return None
    kind, name = parts[-2], parts[-1]
    if kind == LIVE and (live := _LIVE_NAME.match(name)):
        return HistoryObject(key, dag_id, LIVE, live.group(1), live.group(1), live.group(2))
    if kind == SEGMENT and (seg := _SEGMENT_NAME.match(name)) and seg.group(1) >= seg.group(2):
        return HistoryObject(key, dag_id, SEGMENT, seg.group(1), seg.group(2), seg.group(4), int(seg.group(3)))
    return None
