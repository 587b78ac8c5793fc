"""The deferrable sensors on a real deployment: scheduler, triggerer, DAG processor and API
server as separate processes on 127.0.0.1. The sensors defer, their conditions are evaluated in
the triggerer's process tree (the source records the pid that asks), and the runs finish."""

import os
import time
from pathlib import Path

import pytest

from tests.integration.airflow_deployment import AirflowDeployment

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# Triggers fire no sooner than ~20 s after deferring. Airflow 3.3's scheduler marks a resumed task
# FAILED ("state changed externally") when a trigger fires before it has processed the deferring
# run's executor event; under load that took over 5 s here, with a 1 s poke interval.
SETTLE_S = 20
DAG_FILE = """
import datetime as dt
from airflow.sdk import DAG, task
from airflow_evalguard.sensors import LatencyWindowSensor, SampleCoverageSensor

with DAG("sensors_on_a_real_triggerer", schedule=None, start_date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
         catchup=False) as dag:
    calm = LatencyWindowSensor(
        task_id="wait_for_calm_tail", protected_windows=["{window}"], timezone="UTC",
        latency_callable="tests.latency_source:flip_p99_recording_pid",
        callable_kwargs={{"calls_file": "{calls}", "pid_file": "{pids}", "after": 3, "high": 9000.0, "low": 900.0}},
        slo_ms=2500, poke_interval=10, timeout=300)
    covered = SampleCoverageSensor(
        task_id="wait_for_sample", sample="{sample}", reference="{reference}",
        check_params={{"dimensions": ["region"]}}, min_coverage=0.9, poke_interval=10, timeout=300)

    @task
    def evaluate():
        return "ran"

    [calm, covered] >> evaluate()
"""


def _ancestors(pid: int) -> set[int]:
    seen = set()
    while pid > 1 and pid not in seen:
        seen.add(pid)
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, IndexError, ValueError):
            break
    return seen


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    from airflow_evalguard.demo.data import eval_sample, production_traffic, reference_counts
    from tests.triggers.test_polling import _window_away_from_now

    root = tmp_path_factory.mktemp("deployment")
    dags = root / "dags"
    dags.mkdir()
    traffic = production_traffic(20_000)
    reference_counts(traffic).to_parquet(root / "reference.parquet")
    eval_sample(traffic, 3000).to_parquet(root / "ready_sample.parquet")
    (dags / "sensors_dag.py").write_text(
        DAG_FILE.format(
            window=_window_away_from_now(),
            calls=root / "calls",
            pids=root / "pids",
            sample=root / "sample.parquet",
            reference=root / "reference.parquet",
        )
    )
    dep = AirflowDeployment(root / "airflow", dags)
    try:
        dep.startup_s = dep.start()
        dep.root = root
        yield dep
    finally:
        dep.stop()


def test_sensors_defer_to_the_triggerer_and_finish(deployment):
    dep, root = deployment, deployment.root
    dep.wait_for_dag("sensors_on_a_real_triggerer")
    run_id = dep.trigger("sensors_on_a_real_triggerer")
    seen: dict[str, set] = {}
    deferred_at: dict[str, float] = {}

    def watch(states):
        for task, state in states.items():
            seen.setdefault(task, set()).add(state)
            if state == "deferred":
                deferred_at.setdefault(task, time.monotonic())
        # The sample appears only once its sensor has been waiting in the triggerer for a while.
        waiting_since = deferred_at.get("wait_for_sample")
        if waiting_since and time.monotonic() - waiting_since > SETTLE_S and not (root / "sample.parquet").exists():
            os.replace(root / "ready_sample.parquet", root / "sample.parquet")

    t0 = time.monotonic()
    state = dep.wait_for_run("sensors_on_a_real_triggerer", run_id, timeout=420, on_poll=watch)
    assert state == "success", (dep.task_states("sensors_on_a_real_triggerer", run_id), seen)
    assert "deferred" in seen["wait_for_calm_tail"] and "deferred" in seen["wait_for_sample"]
    pids = {int(p) for p in (root / "pids").read_text().split()}
    triggerer = dep.pid("triggerer")
    assert any(triggerer in _ancestors(pid) for pid in pids if Path(f"/proc/{pid}").exists()), pids
    assert int((root / "calls").read_text()) == 4
    print(f"\nreal deployment healthy in {dep.startup_s:.0f} s; sensors finished in {time.monotonic() - t0:.0f} s")
