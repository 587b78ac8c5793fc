"""DeferrablePollingSensor: a sensor whose poke and trigger evaluate one named condition.

Subclasses say which condition (`condition_path`) and with which kwargs (`condition_kwargs()`).
Deferrable by default: while waiting the sensor frees its worker slot and the triggerer polls;
``deferrable=False`` with ``mode="poke"|"reschedule"`` behaves as Airflow's own sensors do.
``timeout`` fails the task (AirflowSensorTimeout), or skips it with ``soft_fail=True``, in both
paths (the task runner does not apply soft_fail to a timeout that comes back from a trigger).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from airflow_evalguard.compat import (
    AirflowException,
    AirflowSensorTimeout,
    AirflowSkipException,
    BaseSensorOperator,
    Context,
)


class DeferrablePollingSensor(BaseSensorOperator):
    condition_path: str = ""
    waiting_for: str = "the condition"

    def __init__(self, *, deferrable: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deferrable = deferrable

    def condition_kwargs(self) -> dict:
        raise NotImplementedError

    def poke(self, context: Context) -> bool:
        from airflow_evalguard.triggers.polling import evaluate

        done, payload, _ = evaluate(self.condition_path, self.condition_kwargs())
        self.log.info("%s: %s", "done" if done else "waiting", payload.get("reason", payload))
        return done

    def execute(self, context: Context) -> Any:
        if not self.deferrable:
            return super().execute(context)
        if self.poke(context):
            return None
        from airflow_evalguard.triggers.polling import PollingTrigger

        deadline = time.time() + self.timeout if self.timeout is not None else None
        self.defer(
            trigger=PollingTrigger(self.condition_path, self.condition_kwargs(), self.poke_interval, deadline),
            method_name="execute_complete",
            timeout=dt.timedelta(seconds=self.timeout) if self.timeout is not None else None,
        )

    def execute_complete(self, context: Context, event: dict[str, Any] | None = None) -> Any:
        if event and event.get("status") == "timeout":
            message = f"{self.task_id}: {self.waiting_for} did not happen within {self.timeout} s"
            if self.soft_fail:
                raise AirflowSkipException(message)
            raise AirflowSensorTimeout(message)
        if not event or event.get("status") != "done":
            raise AirflowException(f"{type(self).__name__}: unexpected trigger event {event!r}")
        self.log.info("%s after %s poll(s): %s", self.waiting_for, event.get("polls"), event.get("reason", ""))
        return None
