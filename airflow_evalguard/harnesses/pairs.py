"""Two harness logs given as the two sides of a paired check must be runs of one task.

A baseline from an XSTest run and a candidate from a jailbreak run share sample ids like `1`,
`2`, ... and would pair silently into nonsense; lm-eval runs of different tasks likewise share
`doc_id`s. When both sides of a pair come from logs of the same harness, their tasks (Inspect's
`eval.task`; the lm-eval task names left after the `task` selector) must be equal, else the
inputs are refused (exit 2) naming both tasks. Logs of different harnesses name tasks in their
own ways and are not compared here; promptfoo records no task.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from airflow_evalguard.exceptions import EvalGuardInputError

# the two sides of the paired checks (refusal_regression, latency_tail, ...; slice_retention)
PAIRS = (("baseline", "candidate"), ("teacher", "student"))


def tasks_of(frame: Any) -> tuple[str, list[str]] | None:
    """(harness, its task names) a harness-read frame records, or None when it records none."""
    attrs = frame.attrs if isinstance(frame, pd.DataFrame) else {}
    if attrs.get("harness") == "inspect" and attrs.get("task"):
        return "inspect", [str(attrs["task"])]
    if attrs.get("harness") == "lm_eval" and attrs.get("tasks"):
        return "lm_eval", sorted(map(str, attrs["tasks"]))
    return None


def refuse_different_tasks(inputs: dict[str, Any], from_logs: set[str]) -> None:
    """Refuse a pair of inputs read from logs of one harness whose tasks differ."""
    for first, second in PAIRS:
        if not {first, second} <= from_logs:
            continue
        left, right = tasks_of(inputs[first]), tasks_of(inputs[second])
        if left is None or right is None or left[0] != right[0] or left[1] == right[1]:
            continue
        raise EvalGuardInputError(
            f"inputs '{first}' and '{second}' are {left[0]} logs of different tasks: "
            f"{_named(left[1])} vs {_named(right[1])}; a paired check compares two runs of one task "
            '(for lm-eval, choose one with "task": NAME)',
            input_name=second,
        )


def _named(tasks: list[str]) -> str:
    return repr(tasks[0]) if len(tasks) == 1 else repr(tasks)
