"""FeedbackProvenanceGateOperator: let only production, consented, PII-free feedback reach training.

Also a filter: the accepted rows are written as ``accepted.parquet`` next to result.json, and
its URI is in the XCom result under ``artifacts.accepted`` for the training task to read::

    train = train_model(data="{{ ti.xcom_pull(task_ids='feedback_gate')['artifacts']['accepted'] }}")
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.operators.evalguard import EvalGuardOperator


class FeedbackProvenanceGateOperator(EvalGuardOperator):
    """The `feedback_provenance` check with typed arguments.

    :param candidates: feedback rows proposed as training data (path, ``s3://`` URI or DataFrame).
    Every other argument left as None takes the check's default (see ``evalguard list``):
    allowed_environments ["production"], allowed_surfaces None (any), require_consent True,
    pii all detectors, pii_action "quarantine", max_rejected_share 0.05, max_author_share 0.05,
    max_employee_share 0.1, employee_types ["employee"], text_column "text", scan_columns None
    (the text column and every other column that can hold text are scanned for PII; a list
    narrows the scan to the text column and those).
    """

    def __init__(
        self,
        *,
        candidates: Any,
        allowed_environments: list | None = None,
        allowed_surfaces: list | None = None,
        require_consent: bool | None = None,
        pii: list | None = None,
        pii_action: str | None = None,
        max_rejected_share: float | None = None,
        max_author_share: float | None = None,
        max_employee_share: float | None = None,
        employee_types: list | None = None,
        text_column: str | None = None,
        scan_columns: list | None = None,
        **kwargs: Any,
    ) -> None:
        given = {
            "allowed_environments": allowed_environments,
            "allowed_surfaces": allowed_surfaces,
            "require_consent": require_consent,
            "pii": pii,
            "pii_action": pii_action,
            "max_rejected_share": max_rejected_share,
            "max_author_share": max_author_share,
            "max_employee_share": max_employee_share,
            "employee_types": employee_types,
            "text_column": text_column,
            "scan_columns": scan_columns,
        }
        super().__init__(
            check="feedback_provenance",
            inputs={"candidates": candidates},
            check_params={k: v for k, v in given.items() if v is not None},
            **kwargs,
        )
