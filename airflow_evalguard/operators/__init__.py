"""EvalGuard operators. Importing this package loads airflow.sdk only (no pandas, scipy, GX)."""

from airflow_evalguard.operators.evalguard import EvalGuardOperator
from airflow_evalguard.operators.sampling_window import SamplingWindowGateOperator

__all__ = ["EvalGuardOperator", "SamplingWindowGateOperator"]
