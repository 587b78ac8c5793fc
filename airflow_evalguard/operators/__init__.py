"""EvalGuard operators. Importing this package loads airflow.sdk only (no pandas, scipy, GX)."""

from airflow_evalguard.operators.assignment_integrity import AssignmentIntegrityGateOperator
from airflow_evalguard.operators.embedding_drift import EmbeddingDriftGateOperator
from airflow_evalguard.operators.evalguard import EvalGuardOperator
from airflow_evalguard.operators.feedback_provenance import FeedbackProvenanceGateOperator
from airflow_evalguard.operators.gates_group import evalguard_gates
from airflow_evalguard.operators.judge_drift import JudgeDriftGateOperator
from airflow_evalguard.operators.labeler_agreement import LabelerAgreementGateOperator
from airflow_evalguard.operators.latency_tail import LatencyTailGateOperator
from airflow_evalguard.operators.output_contract import OutputContractGateOperator
from airflow_evalguard.operators.refusal_regression import RefusalRegressionGateOperator
from airflow_evalguard.operators.rubric_drift import RubricDriftGateOperator
from airflow_evalguard.operators.sampling_window import SamplingWindowGateOperator
from airflow_evalguard.operators.slice_retention import SliceRetentionGateOperator
from airflow_evalguard.operators.summary import EvalGuardSummaryOperator

__all__ = [
    "AssignmentIntegrityGateOperator",
    "EmbeddingDriftGateOperator",
    "EvalGuardOperator",
    "EvalGuardSummaryOperator",
    "FeedbackProvenanceGateOperator",
    "JudgeDriftGateOperator",
    "LabelerAgreementGateOperator",
    "LatencyTailGateOperator",
    "OutputContractGateOperator",
    "RefusalRegressionGateOperator",
    "RubricDriftGateOperator",
    "SamplingWindowGateOperator",
    "SliceRetentionGateOperator",
    "evalguard_gates",
]
