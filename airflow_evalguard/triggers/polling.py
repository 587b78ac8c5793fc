"""PollingTrigger: call a blocking condition in a thread until it holds or a deadline passes.

The condition is a module-level function named by its import path, with JSON-serializable
kwargs, so the trigger serializes to the triggerer and the sensor's poke calls the very same
function. It returns (done, payload, wait_s): wait_s lets a condition sleep exactly until
something can change (the end of a protected window) instead of polling blindly.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from airflow_evalguard.triggers.snapshot_source import import_callable


def evaluate(condition: str, kwargs: dict) -> tuple[bool, dict, float | None]:
    done, payload, wait_s = import_callable(condition)(**kwargs)
    return bool(done), dict(payload), wait_s


class PollingTrigger(BaseTrigger):
    """Fires {"status": "done", ...payload} when the condition holds, or {"status": "timeout"} at
    `deadline` (Unix seconds; kept here because dag.test() runs triggers inline, without the
    triggerer's own timeout). A failing read is logged and retried: an outage of the thing being
    watched should not end the wait early."""

    def __init__(self, condition: str, kwargs: dict, poke_interval: float = 60.0, deadline: float | None = None):
        super().__init__()
        self.condition = condition
        self.kwargs = dict(kwargs)
        self.poke_interval = float(poke_interval)
        self.deadline = deadline

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            "airflow_evalguard.triggers.polling.PollingTrigger",
            {
                "condition": self.condition,
                "kwargs": self.kwargs,
                "poke_interval": self.poke_interval,
                "deadline": self.deadline,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        polls = 0
        while True:
            polls += 1
            wait = self.poke_interval
            try:
                done, payload, wait_s = await asyncio.to_thread(evaluate, self.condition, self.kwargs)
            except Exception as exc:  # noqa: BLE001 - any failed read means "not yet"; logged
                self.log.warning("%s failed (poll %d): %s", self.condition, polls, exc)
            else:
                if done:
                    yield TriggerEvent({"status": "done", "polls": polls, **payload})
                    return
                self.log.info("waiting (poll %d): %s", polls, payload.get("reason", payload))
                if wait_s is not None:
                    wait = max(min(wait_s, self.poke_interval), 0.05)
            if self.deadline is not None and time.time() + wait > self.deadline:
                yield TriggerEvent({"status": "timeout", "polls": polls})
                return
            await asyncio.sleep(wait)
