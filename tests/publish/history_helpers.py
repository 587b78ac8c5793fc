"""Gate results published at chosen times, for the history tests."""

from datetime import UTC, datetime, timedelta

from airflow_evalguard.publish.artifacts import publish_result
from airflow_evalguard.result import CheckResult, Finding, Metric
from airflow_evalguard.store import LocalStore, RunLayout
from airflow_evalguard.store.history_keys import HISTORY_FOLDER
from airflow_evalguard.verdicts import Verdict

START = datetime(2026, 11, 1, tzinfo=UTC)


def gate_result(verdict="PASS", codes=(), drop=0.01, minutes=0.0, check="slice_retention"):
    """A result finished `minutes` after START (its duration is one second)."""
    return CheckResult(
        check=check,
        verdict=Verdict(verdict),
        summary=f"{verdict} summary",
        metrics={"drop": Metric(drop, drop - 0.02, drop + 0.02, n=500), "slices_regressed": Metric(0)},
        findings=[Finding("fail" if verdict == "FAIL" else "warn", code, f"{code} explained") for code in codes],
        params={"warn_at": 0.02, "fail_at": 0.05},
        started_at=(START + timedelta(minutes=minutes, seconds=-1)).isoformat(),
        duration_s=1.0,
    )


def publish_gate(store, dag_id, run_id, task_id, result, map_index=-1, try_number=1):
    layout = RunLayout.of_gate(dag_id, run_id, task_id, map_index, try_number)
    return publish_result(store, layout, result, report=False)


def publish_runs(store, dag_id="dag", runs=5, gates=("gate_a", "gate_b"), spacing=60.0):
    """`runs` runs, run i finishing its gates at i * spacing minutes (a few seconds apart)."""
    for i in range(runs):
        for position, gate in enumerate(gates):
            publish_gate(store, dag_id, f"run_{i:04d}", gate, gate_result(minutes=i * spacing + position / 10))


class FailingIndexStore(LocalStore):
    """A local store whose history index writes fail while `failing` is set: a result published
    then is stored, and the index misses it."""

    failing = False

    def write_bytes(self, key, data):
        if self.failing and key.startswith(HISTORY_FOLDER + "/"):
            raise OSError("index write failed")
        return super().write_bytes(key, data)


def publish_unindexed(store, dag_id, run_id, task_id, result, **where):
    """Publish one gate try while the index write fails (`store` a FailingIndexStore)."""
    store.failing = True
    try:
        return publish_gate(store, dag_id, run_id, task_id, result, **where)
    finally:
        store.failing = False
