"""JudgeSnapshotTrigger: waits in the triggerer until a judge endpoint reports the pinned snapshot."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from airflow_evalguard.triggers.snapshot_source import matches, read_snapshot


class JudgeSnapshotTrigger(BaseTrigger):
    """Fires once the endpoint's snapshot id is one of `pinned`, or with status "timeout" at
    `deadline` (Unix seconds).

    The trigger keeps its own deadline because `dag.test()` runs triggers inline without the
    triggerer's timeout; under a real triggerer the defer timeout and this deadline agree.
    A failed read (endpoint down, bad response) is logged and retried at the next interval: an
    outage should not end the wait early.
    """

    def __init__(self, pinned: list[str], source: dict, poke_interval: float = 60.0,
                 deadline: float | None = None) -> None:
        super().__init__()
        self.pinned = list(pinned)
        self.source = dict(source)
        self.poke_interval = float(poke_interval)
        self.deadline = deadline

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            "airflow_evalguard.triggers.judge_snapshot.JudgeSnapshotTrigger",
            {"pinned": self.pinned, "source": self.source, "poke_interval": self.poke_interval,
             "deadline": self.deadline},
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
            if self.deadline is not None and time.time() + self.poke_interval > self.deadline:
                yield TriggerEvent({"status": "timeout", "polls": polls})
                return
            await asyncio.sleep(self.poke_interval)
