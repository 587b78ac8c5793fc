"""`evalguard_gates([...])`: put gates between an eval task and a promote task in one call.

    eval_task >> evalguard_gates([SamplingWindowGateOperator(...), ...]) >> promote_task

The gates run in parallel in one TaskGroup, followed by a summary task that writes the run
summary page and pushes the combined verdict; `promote_task` waits on the summary, which fails
(fail closed) unless every gate passed or warned.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperator, TaskGroup

from airflow_evalguard.operators.summary import EvalGuardSummaryOperator


def evalguard_gates(
    gates: list[BaseOperator],
    *,
    group_id: str = "evalguard_gates",
    summary_task_id: str = "evalguard_summary",
    artifact_root: str | None = None,
    tooltip: str = "EvalGuard gates",
    **summary_kwargs: Any,
) -> TaskGroup:
    if not gates:
        raise ValueError("evalguard_gates needs at least one gate")
    # prefix_group_id=False: the gates keep the task ids they were created with.
    with TaskGroup(group_id=group_id, prefix_group_id=False, tooltip=tooltip) as group:
        for gate in gates:
            group.add(gate)
        summary = EvalGuardSummaryOperator(
            task_id=summary_task_id,
            gate_task_ids=[g.task_id for g in gates],
            artifact_root=artifact_root,
            **summary_kwargs,
        )
        for gate in gates:
            gate >> summary
    return group
