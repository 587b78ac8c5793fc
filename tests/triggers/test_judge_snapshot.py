"""JudgeSnapshotSensor's trigger side: PollingTrigger on the snapshot condition runs its async loop
until the endpoint reports the pinned snapshot; the snapshot sources themselves."""

import asyncio
import threading

import pytest

from airflow_evalguard.triggers.polling import PollingTrigger
from airflow_evalguard.triggers.snapshot_source import callable_source, dig, http_source, read_snapshot

CONDITION = "airflow_evalguard.triggers.snapshot_source:snapshot_is_pinned"


def JudgeSnapshotTrigger(pinned, source, poke_interval=60.0, deadline=None):  # noqa: N802 - reads as before
    return PollingTrigger(CONDITION, {"source": source, "pinned": pinned}, poke_interval, deadline)


PATH = "tests.snapshot_endpoint:read_snapshot_file"


async def first_event(trigger, timeout=10):
    async def _first():
        async for event in trigger.run():
            return event

    return await asyncio.wait_for(_first(), timeout)


def test_serializes_to_its_import_path_and_kwargs(tmp_path):
    t = JudgeSnapshotTrigger(["v1"], callable_source(PATH, {"path": str(tmp_path / "s")}), 0.5)
    classpath, kwargs = t.serialize()
    assert classpath == "airflow_evalguard.triggers.polling.PollingTrigger"
    again = PollingTrigger(**kwargs)
    assert again.serialize() == (classpath, kwargs)


def test_fires_once_the_snapshot_flips_and_survives_an_outage(tmp_path):
    snap = tmp_path / "snapshot"  # absent at first: the endpoint is down

    def later():
        import time

        time.sleep(0.15)
        snap.write_text("judge-v2\n")
        time.sleep(0.15)
        snap.write_text("judge-v1\n")

    threading.Thread(target=later, daemon=True).start()
    trigger = JudgeSnapshotTrigger(["judge-v1"], callable_source(PATH, {"path": str(snap)}), poke_interval=0.03)
    event = asyncio.run(first_event(trigger))
    assert event.payload["status"] == "done"
    assert event.payload["snapshot"] == "judge-v1"
    assert event.payload["polls"] > 3


def test_http_source_reads_a_nested_key_through_an_airflow_connection(monkeypatch):
    from tests.snapshot_endpoint import SnapshotServer

    with SnapshotServer("judge-2026-05-13") as server:
        monkeypatch.setenv("AIRFLOW_CONN_JUDGE_API", f"http://127.0.0.1:{server.port}")
        assert read_snapshot(http_source("judge_api", "/v1/models", "data.0.id")) == "judge-2026-05-13"


def test_dig_names_the_missing_key():
    assert dig({"a": [{"b": 3}]}, "a.0.b") == 3
    with pytest.raises(KeyError, match="'c'"):
        dig({"a": {}}, "a.c")


def test_deadline_ends_the_wait_with_a_timeout_event(tmp_path):
    import time

    snap = tmp_path / "snapshot"
    snap.write_text("judge-v2")
    trigger = JudgeSnapshotTrigger(
        ["judge-v1"], callable_source(PATH, {"path": str(snap)}), poke_interval=0.05, deadline=time.time() + 0.3
    )
    event = asyncio.run(first_event(trigger))
    assert event.payload["status"] == "timeout" and event.payload["polls"] >= 2
