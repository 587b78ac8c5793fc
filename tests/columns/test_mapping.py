"""The shape of a `columns` mapping, checked without reading anything."""

from __future__ import annotations

import pytest

from airflow_evalguard.columns.mapping import (
    check_column_mapping,
    check_mapped_table,
    is_mapped_table,
    mapped_view,
    stored_names,
)
from airflow_evalguard.exceptions import EvalGuardInputError


def test_a_text_to_text_one_to_one_mapping_is_kept():
    assert check_column_mapping("teacher", {"example_id": "order_id"}) == {"example_id": "order_id"}


@pytest.mark.parametrize("mapping", [["example_id"], {"example_id": 3}, {"": "order_id"}, {"example_id": ""}])
def test_a_mapping_that_is_not_text_to_text_is_refused_naming_the_input(mapping):
    with pytest.raises(EvalGuardInputError, match="input 'teacher'"):
        check_column_mapping("teacher", mapping)


def test_two_check_columns_fed_by_one_table_column_are_refused():
    with pytest.raises(EvalGuardInputError, match=r"\['correct', 'score'\] all to table column 'ok'") as raised:
        check_column_mapping("student", {"correct": "ok", "score": "ok"})
    assert raised.value.column == "ok"


def test_a_table_input_takes_one_source_and_columns_only():
    assert check_mapped_table("t", {"path": "rows.parquet", "columns": {"a": "b"}}) == {"a": "b"}
    for bad in ({"path": "x.csv", "frame": None}, {"path": "x.csv", "colums": {}}, {"path": " "}):
        with pytest.raises(EvalGuardInputError, match="input 't'"):
            check_mapped_table("t", bad)


def test_a_stream_spec_is_not_a_table_input():
    assert is_mapped_table({"path": "x.parquet"})
    assert not is_mapped_table({"stream": "counts", "path": "s3://b/p/"})
    assert not is_mapped_table("x.parquet")


def test_the_view_renames_mapped_columns_and_hides_the_ones_they_shadow():
    stored = ["example_id", "order_id", "ok"]
    view = mapped_view(stored, {"example_id": "order_id", "correct": "ok"}, "t")
    assert view == ["example_id", "correct"]
    assert stored_names(view, {"example_id": "order_id", "correct": "ok"}) == ["order_id", "ok"]


def test_mapping_to_a_column_the_table_lacks_names_the_input_and_the_column():
    with pytest.raises(EvalGuardInputError, match=r"input 't': 'columns' maps to column\(s\) \['oid'\]") as raised:
        mapped_view(["order_id"], {"example_id": "oid"}, "t")
    assert raised.value.column == "oid"
