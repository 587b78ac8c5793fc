"""Blocked means the gate's task did not succeed, not the verdict alone."""

import pytest

from airflow_evalguard.web.task_outcomes import airflow_task_states, outcome

FAIL = {"verdict": "FAIL", "try_number": 2}


@pytest.mark.parametrize(
    ("record", "task", "expected"),
    [
        (FAIL, (2, "success"), (False, "task succeeded")),  # on_fail="warn"
        (FAIL, (2, "skipped"), (True, "task skipped")),
        (FAIL, (2, "up_for_retry"), (True, "task up for retry")),
        ({"verdict": "WARN", "try_number": 1}, (1, "failed"), (True, "task failed")),  # on_warn="fail"
        (FAIL, (3, "success"), (True, "task state unknown: the default outcome")),  # another try's state
        (FAIL, None, (True, "task state unknown: the default outcome")),
        ({"verdict": "WARN", "try_number": 1}, None, (False, "")),
    ],
)
def test_the_outcome_is_the_task_state_of_the_same_try(record, task, expected):
    assert outcome(record, task) == expected


def test_without_airflows_database_no_state_is_known():
    assert airflow_task_states([]) == {}
