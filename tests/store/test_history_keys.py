"""History index keys: they sort by time, parse back, and never meet a DAG's own folder."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from airflow_evalguard.ids import encode_id
from airflow_evalguard.store.history_keys import (
    HISTORY_FOLDER,
    LIVE,
    SEGMENT,
    gate_token,
    live_key,
    parse_history_key,
    parse_stamp,
    segment_key,
    stamp_of,
)

DAG_IDS = ["dag", "café", "a" * 600, "evalguard.history", "x/y"]


def test_stamps_sort_as_the_times_they_name():
    start = datetime(2026, 1, 1, 23, 59, 59, 999999, tzinfo=UTC)
    moments = [start + timedelta(microseconds=step * 7919) for step in range(200)]
    stamps = [stamp_of(m) for m in moments]
    assert sorted(stamps) == stamps and [parse_stamp(s) for s in stamps] == moments
    # a time in another zone is the same instant
    assert stamp_of(start.astimezone(timezone(timedelta(hours=-5)))) == stamps[0]


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_live_and_segment_keys_parse_back(dag_id):
    token = gate_token(dag_id, "run", "task", -1, 1)
    live = parse_history_key(live_key(dag_id, "20261130T000000000000Z", token))
    assert (live.dag_id, live.kind, live.newest, live.oldest, live.token) == (
        dag_id,
        LIVE,
        "20261130T000000000000Z",
        "20261130T000000000000Z",
        token,
    )
    seg = parse_history_key(segment_key(dag_id, "20261130T000000000000Z", "20261101T000000000000Z", 12, "ab" * 8))
    assert (seg.dag_id, seg.kind, seg.newest, seg.oldest) == (
        dag_id,
        SEGMENT,
        "20261130T000000000000Z",
        "20261101T000000000000Z",
    )


@pytest.mark.parametrize(
    "key",
    [
        "evalguard.history/dag/live/notes.txt",
        "evalguard.history/dag/live/.20261130T000000000000Z-0123456789abcdef.json.1a2b.tmp",
        "evalguard.history/dag/other/20261130T000000000000Z-0123456789abcdef.json",
        "evalguard.history/d.g/live/20261130T000000000000Z-0123456789abcdef.json",  # not an encoded id
        # a segment whose newest end is older than its oldest end
        "evalguard.history/dag/seg/20261101T000000000000Z-20261130T000000000000Z-3-0123456789abcdef.jsonl",
        "dag/run/gate/try_1/result.json",
    ],
)
def test_anything_else_is_not_an_index_object(key):
    assert parse_history_key(key) is None


def test_the_index_folder_is_never_a_dags_folder():
    # `.` is always escaped in an id, so no DAG's folder can be named like the index's
    assert all(encode_id(dag_id).split("/")[0] != HISTORY_FOLDER for dag_id in DAG_IDS)


def test_each_gate_try_has_its_own_token():
    tokens = {
        gate_token(dag, run, task, index, attempt)
        for dag in ("d", "d2")
        for run in ("r", "r2")
        for task in ("t", "t2")
        for index in (-1, 0, 1)
        for attempt in (1, 2)
    }
    assert len(tokens) == 2 * 2 * 2 * 3 * 2
    assert gate_token("d", "r", "t", -1, 1) == gate_token("d", "r", "t", -1, 1)
    # ids that join to the same text with a separator do not share a token
    assert gate_token("a", "b:c", "t", -1, 1) != gate_token("a:b", "c", "t", -1, 1)
