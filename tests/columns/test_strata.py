import numpy as np
import pandas as pd

from airflow_evalguard.columns.strata import MISSING, encode_dimension, joint_cells


def test_levels_are_shared_and_numeric_order_is_kept():
    dim = encode_dimension("hour", [pd.Series([10, 2, 2]), pd.Series([2, 10, 3])])
    assert dim.levels == ["2", "3", "10"]
    assert dim.codes[0].tolist() == [2, 0, 0]
    assert dim.codes[1].tolist() == [0, 2, 1]


def test_missing_is_its_own_stratum_on_both_sides():
    dim = encode_dimension("region", [pd.Series(["eu", None, np.nan]), pd.Series(["eu", "us"])])
    assert dim.levels == ["eu", "us", MISSING]
    assert dim.codes[0].tolist() == [0, 2, 2]


def test_a_missing_value_in_a_nullable_integer_column_is_its_own_stratum():
    """Int64 with <NA> (a parquet int column with nulls): as a float or object column would read."""
    nullable = pd.Series([1, None, 2], dtype="Int64")
    dim = encode_dimension("tier", [nullable, pd.Series([2, 1], dtype="Int64")])
    assert dim.levels == ["1", "2", MISSING]
    assert dim.codes[0].tolist() == [0, 2, 1] and dim.codes[1].tolist() == [1, 0]
    floats = encode_dimension("tier", [pd.Series([1.0, np.nan, 2.0]), pd.Series([2.0, 1.0])])
    assert [codes.tolist() for codes in floats.codes] == [codes.tolist() for codes in dim.codes]


def test_categorical_and_object_columns_agree():
    a = pd.Series(["x", "y", None], dtype="category")
    b = pd.Series(["y", "z"])
    dim = encode_dimension("d", [a, b])
    assert dim.levels == ["x", "y", "z", MISSING]
    assert dim.codes[0].tolist() == [0, 1, 3] and dim.codes[1].tolist() == [1, 2]


def test_joint_cells_count_rows_and_weights():
    d1 = encode_dimension("a", [pd.Series(["p", "p", "q"]), pd.Series(["p", "q"])])
    d2 = encode_dimension("b", [pd.Series([1, 2, 1]), pd.Series([1, 1])])
    cells = joint_cells([d1, d2], [None, np.array([5.0, 7.0])])
    labels = [(d1.levels[a], d2.levels[b]) for a, b in zip(*cells.cell_levels, strict=True)]
    assert labels == [("p", "1"), ("p", "2"), ("q", "1")]
    assert cells.counts[0].tolist() == [1, 1, 1]
    assert cells.counts[1].tolist() == [5, 0, 7]
    assert cells.row_cells[0].tolist() == [0, 1, 2]
