"""feedback_provenance.read: required columns per enabled rule, text-holding columns, refusals."""

import pandas as pd
import pyarrow as pa
import pytest

from airflow_evalguard.checks.feedback_provenance import read
from airflow_evalguard.checks.feedback_provenance.spec import SPEC
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput


def test_required_columns_follow_the_enabled_rules():
    params = SPEC.resolve_params({})
    assert read.required_columns(params) == ["text", "author_id", "environment", "consent", "author_type"]
    params = SPEC.resolve_params(
        {
            "allowed_environments": None,
            "allowed_surfaces": ["x"],
            "require_consent": False,
            "max_employee_share": 1.0,
            "text_column": "body",
        }
    )
    assert read.required_columns(params) == ["body", "author_id", "surface"]


def test_name_lists_refuse_nested_values():
    params = SPEC.resolve_params({"employee_types": [["staff"]]})
    with pytest.raises(EvalGuardInputError, match="'employee_types' must be a list of names"):
        read.check_name_lists(params)


@pytest.mark.parametrize(
    "series,holds",
    [
        (pd.Series(["a"], dtype=object), True),
        (pd.Series(["a"], dtype="string"), True),
        (pd.Series(["a"], dtype="category"), True),
        (pd.Series([1, 2], dtype="category"), False),
        (pd.Series([1]), False),
        (pd.Series([1.5]), False),
        (pd.Series([True]), False),
        (pd.Series(pd.to_datetime(["2026-01-01"])), False),
        (pd.Series(["a"], dtype=pd.ArrowDtype(pa.string())), True),
        (pd.Series([b"a"], dtype=pd.ArrowDtype(pa.binary())), True),
        (pd.Series([1], dtype=pd.ArrowDtype(pa.int64())), False),
        (pd.Series(["a"], dtype=pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))), True),
    ],
)
def test_holds_text(series, holds):
    assert read.holds_text(series) is holds


def test_scan_columns_default_and_named():
    frame = pd.DataFrame({"text": ["a"], "author_id": ["x"], "score": [1], "notes": ["n"]})
    params = SPEC.resolve_params({})
    assert read.scan_columns(frame, params) == ["text", "author_id", "notes"]
    params = SPEC.resolve_params({"scan_columns": ["notes", "text", "notes"]})
    assert read.scan_columns(frame, params) == ["text", "notes"]
    with pytest.raises(EvalGuardInputError, match=r"no column\(s\) \['nope'\]"):
        read.scan_columns(frame, SPEC.resolve_params({"scan_columns": ["nope"]}))


def test_candidates_refuses_reserved_columns_and_no_rows():
    params = SPEC.resolve_params({"allowed_environments": None, "require_consent": False, "max_employee_share": 1.0})
    frame = pd.DataFrame({"text": ["a"], "author_id": ["x"], read.ROW: [0]})
    with pytest.raises(EvalGuardInputError, match="reserved"):
        read.candidates(TableInput("candidates", frame), params)
    with pytest.raises(EvalGuardInputError, match="no rows"):
        read.candidates(TableInput("candidates", frame.iloc[:0, :2]), params)
    out = read.candidates(TableInput("candidates", frame.iloc[:, :2].set_axis([5])), params)
    assert out.index.tolist() == [0]
