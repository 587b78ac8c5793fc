"""EvalGuardSummaryOperator: one verdict for a set of gates, and the run summary page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.compat import BaseOperator, Context
from airflow_evalguard.gate import DEFAULT_ON_FAIL, DEFAULT_ON_INCONCLUSIVE, DEFAULT_ON_WARN, apply_gate, validate_outcome

# A gate that pushed no result (bad input, a crash) counts as a failure: fail closed.
NO_RESULT = "ERROR"


class EvalGuardSummaryOperator(BaseOperator):
    """Collect the verdicts of `gate_task_ids` from XCom, write the run summary page next to their
    results, push the combined verdict, then gate on it (the worst verdict; a gate without a
    result counts as FAIL). Runs whatever its gates did (trigger_rule all_done), so the page
    always exists.
    """

    template_fields: Sequence[str] = ("artifact_root",)
    ui_color = "#fde8c8"

    def __init__(self, *, gate_task_ids: list[str], artifact_root: str | None = None,
                 aws_conn_id: str | None = "aws_default", on_fail: str = DEFAULT_ON_FAIL,
                 on_warn: str = DEFAULT_ON_WARN, on_inconclusive: str = DEFAULT_ON_INCONCLUSIVE,
                 trigger_rule: str = "all_done", **kwargs: Any) -> None:
        super().__init__(trigger_rule=trigger_rule, **kwargs)
        self.gate_task_ids = list(gate_task_ids)
        self.artifact_root = artifact_root
        self.aws_conn_id = aws_conn_id
        self.on_fail = validate_outcome("on_fail", on_fail)
        self.on_warn = validate_outcome("on_warn", on_warn)
        self.on_inconclusive = validate_outcome("on_inconclusive", on_inconclusive)

    def execute(self, context: Context) -> None:
        from airflow_evalguard.report.summary import write_summary
        from airflow_evalguard.settings import default_artifact_root
        from airflow_evalguard.store import get_store
        from airflow_evalguard.store.base import sanitize_key_part
        from airflow_evalguard.verdicts import Verdict, worst

        ti = context["ti"]
        gates: dict[str, str] = {}
        for task_id in self.gate_task_ids:
            pushed = ti.xcom_pull(task_ids=task_id)
            gates[task_id] = pushed.get("verdict", NO_RESULT) if isinstance(pushed, dict) else NO_RESULT
            self.log.info("EvalGuard gate %s: %s", task_id, gates[task_id])
        verdicts = [Verdict.FAIL if v == NO_RESULT else Verdict(v) for v in gates.values()]
        combined = worst(verdicts)
        store = get_store(self.artifact_root or default_artifact_root(), aws_conn_id=self.aws_conn_id)
        prefix = f"{sanitize_key_part(ti.dag_id)}/{sanitize_key_part(ti.run_id)}"
        try:
            page = write_summary(store, prefix, f"{ti.dag_id} / {ti.run_id}")
        except Exception:  # noqa: BLE001 - the page is a view; the verdict must still be pushed
            self.log.exception("EvalGuard run summary page could not be written")
            page = None
        summary = {"verdict": combined.value, "gates": gates, "summary_uri": page}
        ti.xcom_push(key="return_value", value=summary)
        for outlet in self.outlets or []:  # emitted only if this task succeeds: PASS or WARN
            context["outlet_events"][outlet].extra = summary
        missing = [t for t, v in gates.items() if v == NO_RESULT]
        text = (f"{len(gates)} gate(s), combined verdict {combined.value}: "
                + ", ".join(f"{t}={v}" for t, v in gates.items())
                + (f"; no result from {missing} (counted as FAIL)" if missing else ""))
        self.log.info("EvalGuard summary verdict=%s page=%s", combined.value, page)
        apply_gate(combined, text, on_fail=self.on_fail, on_warn=self.on_warn, on_inconclusive=self.on_inconclusive,
                   log=self.log)
