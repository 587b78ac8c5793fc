"""LatencyWindowSensor and SampleCoverageSensor in real Airflow runs (dag.test()): deferred
(the trigger runs inline), poke and reschedule modes, timeout with and without soft_fail, and
the training-window demo DAG."""

import datetime as dt
from pathlib import Path

import pytest

from tests.triggers.test_polling import _window_around_now, _window_away_from_now

pytestmark = pytest.mark.integration

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def make_dag(dag_id, sync_dag, sensor_cls, **sensor_kwargs):
    from airflow.sdk import DAG, task

    with DAG(dag_id=dag_id, schedule=None, start_date=START, catchup=False) as dag:
        wait = sensor_cls(task_id="wait", **sensor_kwargs)

        @task
        def work():
            return "ran"

        wait >> work()
    return sync_dag(dag)


def states(dr):
    return {ti.task_id: ti.state for ti in dr.get_task_instances()}


@pytest.mark.parametrize("deferrable, mode", [(True, "poke"), (False, "poke"), (False, "reschedule")])
def test_latency_window_waits_for_a_calm_tail(tmp_path, sync_dag, deferrable, mode):
    from airflow_evalguard.sensors import LatencyWindowSensor

    calls = tmp_path / "calls"
    dag = make_dag(
        f"latency_window_{deferrable}_{mode}",
        sync_dag,
        LatencyWindowSensor,
        protected_windows=[_window_away_from_now()],
        timezone="UTC",
        latency_callable="tests.latency_source:flip_p99",
        callable_kwargs={"calls_file": str(calls), "after": 2, "high": 9000.0, "low": 900.0},
        slo_ms=2500,
        deferrable=deferrable,
        mode=mode,
        poke_interval=0.2,
        timeout=60,
    )
    dr = dag.test()
    assert states(dr) == {"wait": "success", "work": "success"}
    assert int(calls.read_text()) == 3  # two reads over the SLO, then one under it


@pytest.mark.parametrize("deferrable", [True, False])
@pytest.mark.parametrize("soft_fail, expected", [(True, "skipped"), (False, "failed")])
def test_latency_window_times_out_inside_a_protected_window(sync_dag, deferrable, soft_fail, expected):
    from airflow_evalguard.sensors import LatencyWindowSensor

    dag = make_dag(
        f"latency_window_timeout_{deferrable}_{soft_fail}",
        sync_dag,
        LatencyWindowSensor,
        protected_windows=[_window_around_now()],
        timezone="UTC",
        deferrable=deferrable,
        poke_interval=0.2,
        timeout=1,
        soft_fail=soft_fail,
    )
    dr = dag.test()
    assert states(dr)["wait"] == expected
    assert states(dr)["work"] in ("skipped", "upstream_failed")


@pytest.fixture(scope="module")
def mix(tmp_path_factory):
    """Production traffic, a sample that covers it, and one drawn only between 02:00 and 04:00."""
    from airflow_evalguard.demo.data import eval_sample, production_traffic, reference_counts

    out = tmp_path_factory.mktemp("mix")
    traffic = production_traffic(30_000)
    reference_counts(traffic).to_parquet(out / "reference.parquet")
    eval_sample(traffic, 3000).to_parquet(out / "full.parquet")
    eval_sample(traffic, 3000, fault="cron_window").to_parquet(out / "night.parquet")
    return out


@pytest.mark.parametrize(
    "sample, expected", [("full.parquet", "success"), ("night.parquet", "skipped"), ("not_yet.parquet", "skipped")]
)
@pytest.mark.parametrize("deferrable", [True, False])
def test_sample_coverage_waits_for_the_production_mix(sync_dag, mix, sample, expected, deferrable):
    from airflow_evalguard.sensors import SampleCoverageSensor

    dag = make_dag(
        f"sample_cov_{sample.split('.')[0]}_{deferrable}",
        sync_dag,
        SampleCoverageSensor,
        sample=str(mix / sample),
        reference=str(mix / "reference.parquet"),
        check_params={"dimensions": ["region", "source", "is_retry"]},
        min_coverage=0.9,
        deferrable=deferrable,
        poke_interval=0.3,
        timeout=2,
        soft_fail=True,
    )
    dr = dag.test()
    assert states(dr)["wait"] == expected


def test_sample_coverage_with_a_bad_column_fails_instead_of_waiting(sync_dag, mix):
    from airflow_evalguard.sensors import SampleCoverageSensor

    dag = make_dag(
        "sample_cov_bad_column",
        sync_dag,
        SampleCoverageSensor,
        sample=str(mix / "full.parquet"),
        reference=str(mix / "reference.parquet"),
        check_params={"dimensions": ["planet"]},
        deferrable=False,
        poke_interval=0.2,
        timeout=30,
    )
    dr = dag.test()
    assert states(dr)["wait"] == "failed"


def test_sensor_arguments_are_checked_when_the_dag_is_parsed():
    from airflow_evalguard.sensors import LatencyWindowSensor, SampleCoverageSensor

    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        LatencyWindowSensor(task_id="w", protected_windows=["morning"])
    with pytest.raises(ValueError, match="needs slo_ms"):
        LatencyWindowSensor(task_id="w", protected_windows=["07:00-11:00"], latency_callable="a.b:c")
    with pytest.raises(ValueError, match="unknown timezone"):
        LatencyWindowSensor(task_id="w", protected_windows=["07:00-11:00"], timezone="Nowhere/City")
    with pytest.raises(ValueError, match="min_coverage"):
        SampleCoverageSensor(task_id="w", sample="s.parquet", reference="r.parquet", min_coverage=0)


@pytest.fixture(scope="module")
def training_window_dag(airflow_db):
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db

    DagBundlesManager().sync_bundles_to_db()
    bag = DagBag(dag_folder=str(Path(__file__).resolve().parents[2] / "dags"))
    assert bag.import_errors == {}
    sync_bag_to_db(bag, "dags-folder", None)
    return bag.get_dag("evalguard_training_window")


def test_training_window_demo_dag_trains_outside_the_window(training_window_dag):
    dr = training_window_dag.test(run_conf={"protected_windows": [_window_away_from_now()]})
    assert states(dr) == {
        "serving_log": "success",
        "wait_for_quiet_gpus": "success",
        "train": "success",
        "latency_tail_gate": "success",
    }
    assert Path(dr.get_task_instance("train").xcom_pull(task_ids="train")).is_file()
