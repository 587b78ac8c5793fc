"""EvalGuard sensors. Importing this package loads airflow.sdk only (no pandas, scipy, GX)."""

from airflow_evalguard.sensors.judge_snapshot import JudgeSnapshotSensor

__all__ = ["JudgeSnapshotSensor"]
