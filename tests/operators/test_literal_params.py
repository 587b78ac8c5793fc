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


@pytest.mark.parametrize(
    "value, match",
    [
        ({"path": "s3://b/rows.parquet", "columns": {"correct": "ok", "score": "ok"}}, "may feed one check column"),
        ({"path": "rows.parquet", "columns": ["example_id"]}, "must be a JSON object"),
        ({"path": "rows.parquet", "colums": {}}, "a table input takes"),
        ({"sql": "refusal_cells", "columns": {"a": 1}}, "both non-empty text"),
    ],
)
def test_a_malformed_literal_columns_mapping_fails_at_parse_time(value, match):
    with pytest.raises(EvalGuardInputError, match=match):
        validate_literal_inputs({"teacher": value})


def test_a_well_formed_or_templated_columns_mapping_is_accepted():
    validate_literal_inputs(
        {
            "teacher": {"path": "s3://b/t.parquet", "columns": {"example_id": "order_id"}},
            "student": {"path": "{{ ti.xcom_pull('eval') }}", "columns": {"example_id": "oid", "correct": "oid"}},
        }
    )


def test_a_mapped_table_input_is_described_by_its_path():
    op = EvalGuardOperator(
        task_id="gate",
        check="slice_retention",
        inputs={"teacher": {"path": "s3://b/t.parquet", "columns": {"example_id": "oid"}}, "student": "s.parquet"},
    )
    assert op._input_names() == {"teacher": "s3://b/t.parquet", "student": "s.parquet"}
