import math

import pandas as pd

from airflow_evalguard.columns.writable import as_text, writable


def test_a_column_arrow_can_type_is_kept_as_it_is():
    column = pd.Series(["a", None, "b"], dtype=object)
    assert writable(column) is column


def test_a_mixed_column_becomes_text_with_missing_values_kept_missing():
    column = pd.Series(["a", 1.5, None, math.nan, True, b"\xffx", {"k": [1]}], dtype=object)
    assert writable(column).tolist() == ["a", "1.5", None, None, "True", "\\xffx", '{"k": [1]}']


def test_as_text_of_pandas_na_is_missing():
    assert as_text(pd.NA) is None
