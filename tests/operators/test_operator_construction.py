"""Operator construction: what a DAG author gets at parse time (no metadata DB needed)."""

import pytest

from airflow_evalguard.operators import (
    AssignmentIntegrityGateOperator,
    EmbeddingDriftGateOperator,
    EvalGuardOperator,
    FeedbackProvenanceGateOperator,
    JudgeDriftGateOperator,
    LabelerAgreementGateOperator,
    LatencyTailGateOperator,
    OutputContractGateOperator,
    RefusalRegressionGateOperator,
    RubricDriftGateOperator,
    SamplingWindowGateOperator,
    SliceRetentionGateOperator,
)


def test_sampling_window_operator_passes_only_given_params():
    op = SamplingWindowGateOperator(
        task_id="g", sample="s.parquet", reference="r.parquet", fail_at=0.3, dimensions=["region"]
    )
    assert op.check == "sampling_window"
    assert op.inputs == {"sample": "s.parquet", "reference": "r.parquet"}
    assert op.check_params == {"fail_at": 0.3, "dimensions": ["region"]}
    assert (op.on_fail, op.on_warn, op.on_inconclusive) == ("fail_no_retry", "warn", "fail_no_retry")


@pytest.mark.parametrize(
    "operator, check, inputs",
    [
        (SamplingWindowGateOperator, "sampling_window", {"sample", "reference"}),
        (RefusalRegressionGateOperator, "refusal_regression", {"baseline", "candidate", "cells"}),
        (SliceRetentionGateOperator, "slice_retention", {"teacher", "student", "required_slices", "cells", "moments"}),
        (AssignmentIntegrityGateOperator, "assignment_integrity", {"units", "arm_counts", "field_counts", "moments"}),
        (
            EmbeddingDriftGateOperator,
            "embedding_drift",
            {"events", "probe", "probe_old", "probe_new", "corpus", "corpus_old", "corpus_new", "relevance"},
        ),
        (JudgeDriftGateOperator, "judge_drift", {"scores", "score_counts", "anchors", "dual", "human"}),
        (RubricDriftGateOperator, "rubric_drift", {"ratings", "item_sums"}),
        (LabelerAgreementGateOperator, "labeler_agreement", {"labels", "gold", "label_counts"}),
        (OutputContractGateOperator, "output_contract", {"records", "baseline"}),
        (FeedbackProvenanceGateOperator, "feedback_provenance", {"candidates"}),
        (LatencyTailGateOperator, "latency_tail", {"requests", "training_windows", "histogram"}),
    ],
)
def test_typed_arguments_cover_every_check_param_and_input(operator, check, inputs):
    import inspect

    from airflow_evalguard.checks import get_check

    spec = get_check(check)
    operator_only = {"track_contract_version"}  # switches of the operator itself, not check params
    args = set(inspect.signature(operator.__init__).parameters) - {"self", "kwargs"} - operator_only
    assert args - inputs == set(spec.params)
    assert inputs == set(spec.inputs)


def test_optional_input_left_out_when_not_given():
    op = SliceRetentionGateOperator(task_id="g", teacher="t.csv", student="s.csv", slice_columns=["skill"])
    assert op.inputs == {"teacher": "t.csv", "student": "s.csv"}
    assert op.check_params == {"slice_columns": ["skill"]}


def test_bad_outcome_is_a_parse_time_error():
    with pytest.raises(ValueError, match="on_inconclusive must be one of"):
        EvalGuardOperator(task_id="g", check="sampling_window", inputs={}, on_inconclusive="maybe")


@pytest.mark.parametrize("value", [-1, True, "5", 1.5])
def test_a_bad_auto_stream_threshold_is_a_parse_time_error(value):
    with pytest.raises(ValueError, match="auto_stream_rows must be a whole number >= 0"):
        EvalGuardOperator(task_id="g", check="sampling_window", inputs={}, auto_stream_rows=value)
    assert SamplingWindowGateOperator(task_id="g", sample="s", reference="r", auto_stream_rows=0).auto_stream_rows == 0


def test_templated_fields():
    assert set(EvalGuardOperator.template_fields) == {"inputs", "check_params", "artifact_root"}


def test_output_contract_operator_defaults_the_registry_to_its_artifact_root_only_at_run_time():
    op = OutputContractGateOperator(task_id="g", records="r.parquet", contract="c.yaml")
    assert op.check_params == {"contract": "c.yaml"}  # resolved in execute(), after templating
    assert op.track_contract_version is True


@pytest.mark.parametrize(
    "check_params, message",
    [
        ({"fail_at": "high"}, "param 'fail_at' must be a number"),
        ({"alpha": 0.9}, "param 'alpha' must be <= 0.5"),
        ({"n_boot": 10}, "param 'n_boot' must be >= 200"),
        ({"fail_at": float("nan")}, "must be finite"),
        ({"fial_at": 0.2}, r"unknown param\(s\) \['fial_at'\]"),
    ],
)
def test_a_bad_literal_param_is_a_parse_time_error(check_params, message):
    with pytest.raises(ValueError, match=message) as caught:
        EvalGuardOperator(task_id="g", check="sampling_window", inputs={}, check_params=check_params)
    assert "EvalGuard task 'g'" in str(caught.value)


def test_typed_operators_validate_their_arguments_too():
    with pytest.raises(ValueError, match="param 'min_coverage' must be <= 1"):
        SamplingWindowGateOperator(task_id="g", sample="s", reference="r", min_coverage=1.5)


def test_an_unknown_check_is_a_parse_time_error():
    with pytest.raises(ValueError, match="unknown check 'sampling_windw'"):
        EvalGuardOperator(task_id="g", check="sampling_windw", inputs={})


def test_templated_and_run_time_values_are_left_to_the_worker():
    class FromXCom:  # stands for an XComArg: its value exists only when the task runs
        pass

    op = EvalGuardOperator(
        task_id="g",
        check="sampling_window",
        inputs={},
        check_params={
            "fail_at": "{{ params.fail_at }}",
            "dimensions": ["region", "{{ params.dim }}"],
            "n_boot": FromXCom(),
            "warn_at": 0.1,
        },
    )
    assert op.check_params["fail_at"] == "{{ params.fail_at }}"
    with pytest.raises(ValueError, match="param 'warn_at' must be <= 1"):  # the literal one is still checked
        EvalGuardOperator(
            task_id="g",
            check="sampling_window",
            inputs={},
            check_params={"fail_at": "{{ params.fail_at }}", "warn_at": 2.0},
        )
