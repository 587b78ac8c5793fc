"""The checks: one package per check, each the same shape (docs/architecture.md).

This module is the registry: names to spec modules. It is light (no pandas) because operators
read specs when a DAG file is parsed; `airflow_evalguard.run.run_check` runs a check.
"""

from __future__ import annotations

import importlib

from airflow_evalguard.core.spec import CheckSpec
from airflow_evalguard.exceptions import EvalGuardInputError

# name -> the module holding its SPEC; loaded on first use so listing names costs nothing.
# Adding a check: its package under checks/, one line here, its page under docs/checks/.
REGISTRY: dict[str, str] = {
    "assignment_integrity": "airflow_evalguard.checks.assignment_integrity.spec",
    "embedding_drift": "airflow_evalguard.checks.embedding_drift.spec",
    "judge_drift": "airflow_evalguard.checks.judge_drift.spec",
    "feedback_provenance": "airflow_evalguard.checks.feedback_provenance.spec",
    "labeler_agreement": "airflow_evalguard.checks.labeler_agreement.spec",
    "latency_tail": "airflow_evalguard.checks.latency_tail.spec",
    "output_contract": "airflow_evalguard.checks.output_contract.spec",
    "refusal_regression": "airflow_evalguard.checks.refusal_regression.spec",
    "rubric_drift": "airflow_evalguard.checks.rubric_drift.spec",
    "sampling_window": "airflow_evalguard.checks.sampling_window.spec",
    "slice_retention": "airflow_evalguard.checks.slice_retention.spec",
}


def check_names() -> list[str]:
    return sorted(REGISTRY)


def get_check(name: str) -> CheckSpec:
    if name not in REGISTRY:
        raise EvalGuardInputError(f"unknown check {name!r}; known checks: {check_names()}")
    spec: CheckSpec = importlib.import_module(REGISTRY[name]).SPEC
    return spec
