"""slice_retention.read: three input forms side by side, and the declared required slices."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.slice_retention import read
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from tests.checks.slice_retention.helpers import correct_pairs, params, tables


def test_rows_and_cells_hold_the_same_pairs():
    teacher, student = correct_pairs({"a": (3, 2, 5, 40), "b": (1, 0, 2, 7)})
    rows = read.read(tables(teacher, student.iloc[::-1]), params())
    assert rows.form == "rows" and rows.n_total == 60 and rows.weights is None
    cells = (
        pd.DataFrame(
            {"slice": teacher["slice"], "teacher_correct": teacher["correct"], "student_correct": student["correct"]}
        )
        .value_counts()
        .reset_index(name="count")
    )
    aggregated = read.read({"cells": TableInput("cells", cells)}, params())
    assert aggregated.form == "cells" and aggregated.n_total == 60
    lost_rows = int(((rows.teacher == 1) & (rows.student == 0)).sum())
    lost_cells = int(aggregated.weights[(aggregated.teacher == 1) & (aggregated.student == 0)].sum())
    assert lost_rows == lost_cells == 7


def test_moments_are_for_scores_only():
    moments = pd.DataFrame(
        {
            "slice": ["a"],
            "count": [3],
            "teacher_sum": [2.0],
            "student_sum": [1.5],
            "diff_sum": [0.5],
            "diff_sumsq": [0.2],
        }
    )
    sample = read.read({"moments": TableInput("moments", moments)}, params(metric="score"))
    assert sample.form == "moments" and sample.n_total == 3 and sample.teacher is None
    with pytest.raises(EvalGuardInputError, match="input 'moments' is for metric='score'"):
        read.read({"moments": TableInput("moments", moments)}, params())
    with pytest.raises(EvalGuardInputError, match="must not be negative"):
        read.read({"moments": TableInput("moments", moments.assign(diff_sumsq=-1.0))}, params(metric="score"))


def test_required_slices_in_both_spellings_with_their_own_min_n_and_tolerance():
    declared = pd.DataFrame(
        {
            "slice": ["slice=a", None],
            "column": [None, "slice"],
            "value": [None, "b"],
            "min_n": [100, np.nan],
            "tolerance": [np.nan, 0.02],
        }
    )
    required = read.required(TableInput("required_slices", declared), params())
    assert required == [read.Required("slice=a", 100, None), read.Required("slice=b", 30, 0.02)]
    with pytest.raises(EvalGuardInputError, match="is not one of slice_columns"):
        read.required(TableInput("required_slices", pd.DataFrame({"slice": ["topic=x"]})), params())
    assert read.required(None, params()) == []


def test_row_errors():
    teacher, student = correct_pairs({"a": (3, 2, 5, 40)})
    with pytest.raises(EvalGuardInputError, match=r"'correct' must be 0 or 1 in every row; 1 bad row"):
        read.read(tables(teacher, student.assign(correct=[2] + [1] * 49)), params())


def test_id_column_joins_on_the_user_s_column_and_a_missing_one_names_the_param():
    teacher, student = correct_pairs({"a": (3, 1, 2, 4)})
    ours = read.read(tables(teacher, student), params())
    renamed = [frame.rename(columns={"example_id": "order_id"}) for frame in (teacher, student)]
    theirs = read.read(tables(*renamed), params(id_column="order_id"))
    np.testing.assert_array_equal(theirs.teacher, ours.teacher)
    np.testing.assert_array_equal(theirs.student, ours.student)
    assert theirs.ids.tolist() == ours.ids.tolist()
    missing = tables(*renamed)
    missing["teacher"].column_params = {"example_id": "id_column"}
    with pytest.raises(EvalGuardInputError, match=r"missing column\(s\) \['example_id'\] \(set id_column=\.\.\."):
        read.read(missing, params())
