"""Whether a gate run blocked: the task's outcome in Airflow, not the verdict alone.

A FAIL or INCONCLUSIVE fails the gate task under the default outcomes, but `on_fail="warn"` or
`"skip"` lets it succeed or skip instead; a WARN fails it under `on_warn="fail"`. The history
record holds the verdict; the outcome is the state Airflow holds for the gate's task instance,
read for the runs on the page (one query). It counts only when that task instance's try is the
try the record describes; otherwise, or without Airflow's database, the verdict decides as the
default outcomes would, and the page says so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from airflow_evalguard.publish.history_view import BLOCKING

log = logging.getLogger(__name__)

FAILED_STATES = ("failed", "up_for_retry", "upstream_failed")
TaskKey = tuple[str, str, str, int]  # dag_id, run_id, task_id, map_index
TaskState = tuple[int, str | None]  # try_number, state


def task_key(record: dict[str, Any]) -> TaskKey:
    """The task instance a history record describes (its try aside)."""
    return record["dag_id"], record["run_id"], record["task_id"], record["map_index"]


def airflow_task_states(keys: Iterable[TaskKey]) -> dict[TaskKey, TaskState]:
    """(try, state) of the task instances named, from Airflow's database; {} when it cannot be read."""
    wanted = set(keys)
    if not wanted:
        return {}
    try:
        from airflow.models.taskinstance import TaskInstance
        from airflow.utils.session import create_session
        from sqlalchemy import select

        dag_ids, run_ids = {k[0] for k in wanted}, {k[1] for k in wanted}
        with create_session() as session:
            rows = session.execute(
                select(
                    TaskInstance.dag_id,
                    TaskInstance.run_id,
                    TaskInstance.task_id,
                    TaskInstance.map_index,
                    TaskInstance.try_number,
                    TaskInstance.state,
                ).where(TaskInstance.dag_id.in_(dag_ids), TaskInstance.run_id.in_(run_ids))
            ).all()
    except Exception as exc:  # noqa: BLE001 - logged (one line: every page view would repeat it); the verdicts decide
        log.warning("EvalGuard: task states for the history page could not be read: %s", type(exc).__name__)
        return {}
    found = {}
    for dag_id, run_id, task_id, map_index, try_number, state in rows:
        key = (dag_id, run_id, task_id, int(map_index))
        if key in wanted:
            found[key] = (int(try_number or 0), state and str(state))
    return found


def outcome(record: dict[str, Any], task: TaskState | None) -> tuple[bool, str]:
    """(blocked, in words) for one history record and its task instance's (try, state)."""
    if task is not None and task[0] == record["try_number"]:
        state = task[1]
        if state == "success":
            return False, "task succeeded"
        if state == "skipped":
            return True, "task skipped"
        if state in FAILED_STATES:
            return True, f"task {state.replace('_', ' ')}"
    blocked = record["verdict"] in BLOCKING
    return blocked, "task state unknown: the default outcome" if blocked else ""
