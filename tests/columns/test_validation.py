"""Bad rows are reported one way: input, column, how many, and the first few by row label."""

import pandas as pd
import pytest

from airflow_evalguard.columns.validation import describe_rows, require_rows
from airflow_evalguard.exceptions import EvalGuardInputError


def test_describe_rows_names_rows_by_label_and_stops_at_the_limit():
    values = pd.Series(["a", None, 3, "d"], index=[10, 11, 12, 13])
    assert describe_rows(values, limit=3) == "row 10: 'a', row 11: missing, row 12: 3"


def test_require_rows_raises_naming_input_column_count_and_rows():
    values = pd.Series([1, -2, 3, -4])
    with pytest.raises(EvalGuardInputError) as info:
        require_rows(values, values < 0, input_name="sample", column="count", requirement="has negative counts")
    assert str(info.value) == "input 'sample': column 'count' has negative counts; 2 bad row(s): row 1: -2, row 3: -4"
    assert info.value.input_name == "sample" and info.value.column == "count"


def test_require_rows_passes_clean_columns():
    values = pd.Series([1, 2])
    require_rows(values, values < 0, input_name="sample", column="count", requirement="has negative counts")
