"""EvalGuard sensors. Importing this package loads airflow.sdk only (no pandas, scipy, GX)."""

from airflow_evalguard.sensors.judge_snapshot import JudgeSnapshotSensor
from airflow_evalguard.sensors.latency_window import LatencyWindowSensor
from airflow_evalguard.sensors.sample_coverage import SampleCoverageSensor

__all__ = ["JudgeSnapshotSensor", "LatencyWindowSensor", "SampleCoverageSensor"]
