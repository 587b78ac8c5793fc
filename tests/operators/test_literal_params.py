"""Parse-time validation of literal harness-log inputs (the shape only: no file is read)."""

from __future__ import annotations

import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.operators import EvalGuardOperator, RefusalRegressionGateOperator
from airflow_evalguard.operators.literal_params import validate_literal_inputs


def test_a_malformed_literal_harness_input_fails_the_dag_file_at_parse_time():
    with pytest.raises(
        EvalGuardInputError, match=r"EvalGuard task 'gate': input 'baseline': unknown key\(s\) \['scorers'\]"
    ):
        EvalGuardOperator(
            task_id="gate",
            check="refusal_regression",
            inputs={"baseline": {"inspect_log": "s3://b/base.eval", "scorers": "x"}, "candidate": "c.parquet"},
        )


def test_well_formed_or_templated_harness_inputs_are_accepted_without_reading_them():
    op = RefusalRegressionGateOperator(
        task_id="gate",
        baseline={"inspect_log": "s3://evals/missing/base.eval", "epoch": 1, "columns": {"prompt_id": "id"}},
        candidate={"inspect_log": "{{ ti.xcom_pull('eval') }}", "epoch": "{{ params.epoch }}"},
    )
    assert op.inputs["baseline"]["inspect_log"] == "s3://evals/missing/base.eval"


def test_plain_inputs_are_left_alone():
    validate_literal_inputs({"a": "x.parquet", "b": {"sql": "refusal_cells"}, "c": None})
