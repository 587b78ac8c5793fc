import math

import pandas as pd
import pytest

from airflow_evalguard.checks.unprocessable import refusing_unprocessable_inputs
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check


def test_a_data_failure_inside_a_check_becomes_one_line_refusal():
    with (
        pytest.raises(EvalGuardInputError, match=r"check 'demo' could not process its inputs \(TypeError: '<'"),
        refusing_unprocessable_inputs("demo"),
    ):
        sorted([1.5, "refuse"])


@pytest.mark.parametrize("failure", [ConnectionError("reset"), TimeoutError("slow"), OSError("disk full")])
def test_failures_of_the_world_stay_retryable(failure):
    with pytest.raises(type(failure)), refusing_unprocessable_inputs("demo"):
        raise failure


def test_an_input_error_passes_through_unchanged():
    original = EvalGuardInputError("input 'x': missing column", input_name="x")
    with pytest.raises(EvalGuardInputError) as caught, refusing_unprocessable_inputs("demo"):
        raise original
    assert caught.value is original


def test_a_huge_message_is_capped_and_kept_on_one_line():
    with pytest.raises(EvalGuardInputError) as caught, refusing_unprocessable_inputs("demo"):
        raise ValueError("bad\n" + "x" * 100_000)
    assert len(str(caught.value)) < 600 and "\n" not in str(caught.value)


def test_missing_and_bad_values_in_one_column_are_named_not_crashed():
    # Found by the hostile suite: under pandas 3 `astype(str)` keeps NaN a float, so quoting the
    # offending values sorted floats with strings (a TypeError, a traceback, an Airflow retry).
    prompts = [f"p{i}" for i in range(40)]
    baseline = pd.DataFrame(
        {
            "prompt_id": prompts,
            "category": "privacy",
            "expected": ["refuse", math.nan, "bogus", "comply"] * 10,
            "label": "refusal",
        }
    )
    with pytest.raises(
        EvalGuardInputError, match=r"column 'expected' must be 'refuse' or 'comply'; found \['bogus', 'nan'\]"
    ):
        run_check("refusal_regression", {"baseline": baseline, "candidate": baseline.copy()}, {})


def test_a_cell_value_quoted_by_an_exception_is_redacted():
    with pytest.raises(EvalGuardInputError) as caught, refusing_unprocessable_inputs("demo"):
        float("jane" + "@example.com")
    assert "@example.com" not in str(caught.value) and "[REDACTED:email]" in str(caught.value)
