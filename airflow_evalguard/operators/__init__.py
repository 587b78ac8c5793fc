"""EvalGuard operators. Importing this package loads airflow.sdk only (no pandas, scipy, GX)."""

from airflow_evalguard.operators.evalguard import EvalGuardOperator
from airflow_evalguard.operators.refusal_regression import RefusalRegressionGateOperator
from airflow_evalguard.operators.sampling_window import SamplingWindowGateOperator
from airflow_evalguard.operators.slice_retention import SliceRetentionGateOperator

__all__ = [
    "EvalGuardOperator",
    "RefusalRegressionGateOperator",
    "SamplingWindowGateOperator",
    "SliceRetentionGateOperator",
]
