"""JudgeSnapshotTrigger: waits in the triggerer until a judge endpoint reports the pinned snapshot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from airflow_evalguard.triggers.snapshot_source import matches, read_snapshot


class JudgeSnapshotTrigger(BaseTrigger):
    """Fires once the endpoint's snapshot id is one of `pinned`.

    A failed read (endpoint down, bad response) is logged and retried at the next interval: an
    outage should not end the wait early, and the sensor's `timeout` bounds the whole wait.
    """

    def __init__(self, pinned: list[str], source: dict, poke_interval: float = 60.0) -> None:
        super().__init__()
        self.pinned = list(pinned)
        self.source = dict(source)
        self.poke_interval = float(poke_interval)

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            "airflow_evalguard.triggers.judge_snapshot.JudgeSnapshotTrigger",
            {"pinned": self.pinned, "source": self.source, "poke_interval": self.poke_interval},
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        polls = 0
        while True:
            polls += 1
            try:
                snapshot = await asyncio.to_thread(read_snapshot, self.source)
            except Exception as exc:  # noqa: BLE001 - any read failure means "not yet"; logged
                self.log.warning("judge snapshot read failed (poll %d): %s", polls, exc)
            else:
                if matches(snapshot, self.pinned):
                    self.log.info("judge reports pinned snapshot %r after %d poll(s)", snapshot, polls)
                    yield TriggerEvent({"status": "matched", "snapshot": snapshot, "polls": polls})
                    return
                self.log.info("judge reports snapshot %r, waiting for %s (poll %d)", snapshot, self.pinned, polls)
            await asyncio.sleep(self.poke_interval)
