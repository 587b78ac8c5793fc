"""EvalGuardSummaryOperator: one verdict for a set of gates, and the run summary page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.compat import BaseOperator, Context
from airflow_evalguard.gate import (
    DEFAULT_ON_FAIL,
    DEFAULT_ON_INCONCLUSIVE,
    DEFAULT_ON_WARN,
    apply_gate,
    validate_outcome,
)
from airflow_evalguard.verdicts import Verdict, worst

# A gate without a result counts as a failure (fail closed), and says why it has none:
NO_RESULT = "ERROR"  # it ran and pushed no result (bad input, a crash)
NOT_RUN = "NOT_RUN"  # it never ran: an upstream task failed, or it was skipped


class EvalGuardSummaryOperator(BaseOperator):
    """Collect the verdicts of `gate_task_ids` (each map index of a mapped gate on its own) from
    XCom, write the run summary page next to their results, push the combined verdict, then gate
    on it (the worst verdict; a gate without a result counts as FAIL). Runs whatever its gates did
    (trigger_rule all_done), so the page always exists, listing gates without a result too, with
    the reason: which upstream task failed, or that the gate itself failed.
    """

    template_fields: Sequence[str] = ("artifact_root",)
    ui_color = "#fde8c8"

    def __init__(
        self,
        *,
        gate_task_ids: list[str],
        artifact_root: str | None = None,
        aws_conn_id: str | None = "aws_default",
        on_fail: str = DEFAULT_ON_FAIL,
        on_warn: str = DEFAULT_ON_WARN,
        on_inconclusive: str = DEFAULT_ON_INCONCLUSIVE,
        trigger_rule: str = "all_done",
        **kwargs: Any,
    ) -> None:
        super().__init__(trigger_rule=trigger_rule, **kwargs)
        self.gate_task_ids = list(gate_task_ids)
        self.artifact_root = artifact_root
        self.aws_conn_id = aws_conn_id
        self.on_fail = validate_outcome("on_fail", on_fail)
        self.on_warn = validate_outcome("on_warn", on_warn)
        self.on_inconclusive = validate_outcome("on_inconclusive", on_inconclusive)

    def execute(self, context: Context) -> None:
        # the publish layer loads pandas and Jinja2: in the worker, never when the DAG is parsed
        from airflow_evalguard.publish.summary import gate_entry, pushed_entry, write_summary
        from airflow_evalguard.settings import default_artifact_root
        from airflow_evalguard.store import RunLayout, get_store

        ti = context["ti"]
        store = get_store(self.artifact_root or default_artifact_root(), aws_conn_id=self.aws_conn_id)
        prefix = RunLayout.of_run(ti.dag_id, ti.run_id)
        gates: dict[str, str] = {}
        missing: dict[str, str] = {}
        entries = []
        instances = self._gate_instances(ti)
        not_run = [t for t, _, state in instances if state in ("upstream_failed", "skipped")]
        upstream = self._upstream_states(ti, not_run)
        for task_id, map_index, state in instances:
            label = RunLayout.label(task_id, map_index)
            pushed = ti.xcom_pull(task_ids=task_id, map_indexes=map_index)
            if isinstance(pushed, dict) and pushed.get("verdict") in {v.value for v in Verdict}:
                gates[label] = pushed["verdict"]
                entries.append(pushed_entry(pushed, store, prefix, task_id, map_index, self.aws_conn_id))
            else:
                gates[label], missing[label] = self._why_no_result(task_id, state, upstream)
                entries.append(gate_entry(task_id, map_index, verdict=gates[label], summary=missing[label]))
            self.log.info("EvalGuard gate %s: %s %s", label, gates[label], missing.get(label, ""))
        combined = worst([Verdict.FAIL if label in missing else Verdict(v) for label, v in gates.items()])
        try:
            page = write_summary(store, prefix, f"{ti.dag_id} / {ti.run_id}", entries)
        except Exception:  # noqa: BLE001 - the page is a view; the verdict must still be pushed
            self.log.exception("EvalGuard run summary page could not be written")
            page = None
        summary: dict[str, Any] = {"verdict": combined.value, "gates": gates, "missing": missing, "summary_uri": page}
        ti.xcom_push(key="return_value", value=summary)
        for outlet in self.outlets or []:  # emitted only if this task succeeds: PASS or WARN
            context["outlet_events"][outlet].extra = summary
        self.log.info("EvalGuard summary verdict=%s page=%s", combined.value, page)
        apply_gate(
            combined,
            _text(gates, missing, combined.value),
            on_fail=self.on_fail,
            on_warn=self.on_warn,
            on_inconclusive=self.on_inconclusive,
            log=self.log,
            result=summary,
        )

    def _gate_instances(self, ti) -> list[tuple[str, int, str | None]]:
        """(task_id, map_index, state) of every gate task instance in this run: one per map index
        of a mapped gate, map index -1 for an unmapped one (or a mapped one that never expanded)."""
        out: list[tuple[str, int, str | None]] = []
        for task_id in self.gate_task_ids:
            found: list[tuple[str, int, str | None]] = []
            for key, state in _states(ti, [task_id]).items():
                index = -1 if key == task_id else _index_suffix(key, task_id)
                if index is not None:
                    found.append((task_id, index, state))
            out.extend(sorted(found, key=lambda f: f[1]) or [(task_id, -1, None)])
        return out

    def _upstream_states(self, ti, task_ids: list[str]) -> dict[str, str]:
        """task_id -> worst-known state of every task upstream of `task_ids` (mapped instances
        folded: one failed instance makes the task failed)."""
        ids = set()
        for task_id in task_ids:
            ids |= set(self.dag.get_task(task_id).get_flat_relative_ids(upstream=True))
        states: dict[str, str] = {}
        for key, state in _states(ti, sorted(ids)).items():
            task_id = key if key in ids else key.rsplit("_", 1)[0]
            if task_id in ids and (states.get(task_id) != "failed"):
                states[task_id] = state
        return states

    def _why_no_result(self, task_id: str, state: str | None, upstream: dict[str, str]) -> tuple[str, str]:
        if state not in ("upstream_failed", "skipped"):
            if state == "failed":
                return NO_RESULT, "failed without a result (see its log)"
            return NO_RESULT, f"has no result (task state {state})" if state else "has no result"
        ids = self.dag.get_task(task_id).get_flat_relative_ids(upstream=True)
        if state == "upstream_failed":
            failed = sorted(t for t in ids if upstream.get(t) == "failed")
            return (
                NOT_RUN,
                f"did not run: upstream {_tasks(failed)} failed" if failed else "did not run: an upstream task failed",
            )
        skipped = sorted(
            t
            for t in ids
            if upstream.get(t) == "skipped"
            and not any(upstream.get(u) == "skipped" for u in self.dag.get_task(t).upstream_task_ids)
        )
        return (
            NOT_RUN,
            f"did not run: skipped (upstream {_tasks(skipped)} skipped)" if skipped else "did not run: skipped",
        )


def _states(ti, task_ids: list[str]) -> dict[str, str]:
    """Task instance states of this run, keyed `task_id` or `task_id_{map_index}` (Airflow's
    execution API). Empty when the API cannot tell (the caller then knows less, never more)."""
    if not task_ids:
        return {}
    try:
        by_run = ti.get_task_states(dag_id=ti.dag_id, task_ids=task_ids, run_ids=[ti.run_id])
    except Exception:  # noqa: BLE001 - reasons are a courtesy; the verdict does not depend on them
        return {}
    return dict((by_run or {}).get(ti.run_id) or {})


def _index_suffix(key: str, task_id: str) -> int | None:
    rest = key[len(task_id) + 1 :] if key.startswith(task_id + "_") else ""
    return int(rest) if rest.isdigit() else None


def _tasks(task_ids: list[str]) -> str:
    names = ", ".join(f"'{t}'" for t in task_ids[:5]) + (f" and {len(task_ids) - 5} more" if len(task_ids) > 5 else "")
    return f"task {names}" if len(task_ids) == 1 else f"tasks {names}"


def _text(gates: dict[str, str], missing: dict[str, str], combined: str) -> str:
    by_reason: dict[str, list[str]] = {}
    for label, reason in missing.items():
        by_reason.setdefault(reason, []).append(label)
    text = f"{len(gates)} gate(s), combined verdict {combined}: " + ", ".join(f"{t}={v}" for t, v in gates.items())
    if by_reason:
        text += "; " + "; ".join(f"{', '.join(labels)} {reason}" for reason, labels in by_reason.items())
        text += " (counted as FAIL)"
    return text
