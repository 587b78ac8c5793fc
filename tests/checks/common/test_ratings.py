"""Reading rated tables: required columns, missing values, duplicates and scale encoding."""

import pandas as pd
import pytest

from airflow_evalguard.checks.common.ratings import encode, read_required, reject_duplicates, require_present
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput


def test_read_required_takes_optional_columns_that_exist():
    table = TableInput("labels", pd.DataFrame({"item_id": [1], "label": ["a"], "extra": [0]}))
    assert list(read_required(table, ["item_id", "label"], optional=("extra", "absent")).columns) == [
        "item_id",
        "label",
        "extra",
    ]
    with pytest.raises(EvalGuardInputError, match="is empty"):
        read_required(TableInput("labels", pd.DataFrame({"item_id": [], "label": []})), ["item_id", "label"])


def test_missing_values_and_duplicates_name_the_rows():
    frame = pd.DataFrame({"item_id": [1, None, 1], "labeler_id": ["x", "y", "x"]})
    with pytest.raises(EvalGuardInputError, match=r"missing in 1 row\(s\), e.g. rows \[1\]"):
        require_present(frame, "item_id", "labels", "item id")
    with pytest.raises(EvalGuardInputError, match="2 row"):
        reject_duplicates(frame, ["item_id", "labeler_id"], "labels")


def test_encode_orders_the_scale_and_refuses_unknown_labels():
    values, codes = encode(
        pd.Series(["low", "high", "mid"]), "ordinal", ["low", "mid", "high"], input_name="labels", column="label"
    )
    assert list(values) == ["low", "mid", "high"] and list(codes) == [0, 2, 1]
    with pytest.raises(EvalGuardInputError, match="column 'label'"):
        encode(pd.Series(["low", "huge"]), "ordinal", ["low", "mid", "high"], input_name="labels", column="label")
