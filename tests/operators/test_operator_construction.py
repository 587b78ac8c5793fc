"""Operator construction: what a DAG author gets at parse time (no metadata DB needed)."""

import pytest

from airflow_evalguard.operators import EvalGuardOperator, SamplingWindowGateOperator


def test_sampling_window_operator_passes_only_given_params():
    op = SamplingWindowGateOperator(task_id="g", sample="s.parquet", reference="r.parquet", fail_at=0.3,
                                    dimensions=["region"])
    assert op.check == "sampling_window"
    assert op.inputs == {"sample": "s.parquet", "reference": "r.parquet"}
    assert op.check_params == {"fail_at": 0.3, "dimensions": ["region"]}
    assert (op.on_fail, op.on_warn, op.on_inconclusive) == ("fail_no_retry", "warn", "fail_no_retry")


def test_typed_arguments_cover_every_check_param():
    import inspect

    from airflow_evalguard.checks import get_check

    args = set(inspect.signature(SamplingWindowGateOperator.__init__).parameters) - {"self", "kwargs", "sample", "reference"}
    assert args == set(get_check("sampling_window").params)


def test_bad_outcome_is_a_parse_time_error():
    with pytest.raises(ValueError, match="on_inconclusive must be one of"):
        EvalGuardOperator(task_id="g", check="sampling_window", inputs={}, on_inconclusive="maybe")


def test_templated_fields():
    assert set(EvalGuardOperator.template_fields) == {"inputs", "check_params", "artifact_root"}
