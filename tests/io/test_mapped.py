"""A table input read under a `columns` mapping: every file format and a DataFrame, column-pruned."""

from __future__ import annotations

import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io.mapped import MappedTableInput, map_frame, table_input

ROWS = pd.DataFrame({"order_id": ["a", "b", "c"], "is_correct": [1, 0, 1], "example_id": [9, 9, 9]})
MAPPING = {"example_id": "order_id", "correct": "is_correct"}


def _write(frame: pd.DataFrame, path):
    suffix = path.suffix
    if suffix == ".parquet":
        frame.to_parquet(path)
    elif suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_json(path, orient="records", lines=True)
    return path


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_a_mapped_file_reads_under_the_check_names(tmp_path, suffix):
    path = _write(ROWS, tmp_path / f"rows{suffix}")
    table = table_input("teacher", {"path": str(path), "columns": MAPPING})
    assert isinstance(table, MappedTableInput)
    assert table.columns() == ["example_id", "correct"]
    read = table.read(["example_id", "correct"])
    assert read["example_id"].astype(str).tolist() == ["a", "b", "c"]  # order_id, not the shadowed example_id
    assert read["correct"].tolist() == [1, 0, 1]
    assert table.read()["example_id"].astype(str).tolist() == ["a", "b", "c"]
    arrow = table.read_arrow(["correct"])
    assert arrow.column_names == ["correct"] and arrow.column("correct").to_pylist() == [1, 0, 1]


def test_a_mapped_frame_is_renamed_once():
    table = table_input("teacher", {"frame": ROWS, "columns": MAPPING})
    assert table.read(["example_id"])["example_id"].tolist() == ["a", "b", "c"]
    assert map_frame(ROWS, {}, "t") is ROWS


def test_an_unmapped_value_reads_as_before(tmp_path):
    path = _write(ROWS, tmp_path / "rows.parquet")
    assert table_input("t", str(path)).columns() == list(ROWS.columns)
    assert table_input("t", {"path": str(path)}).columns() == list(ROWS.columns)


def test_a_missing_table_column_is_an_input_error_naming_input_and_column(tmp_path):
    path = _write(ROWS, tmp_path / "rows.csv")
    with pytest.raises(EvalGuardInputError, match=r"input 'student'.*\['oid'\].*lacks") as raised:
        table_input("student", {"path": str(path), "columns": {"example_id": "oid"}}).read(["example_id"])
    assert raised.value.column == "oid"
    with pytest.raises(EvalGuardInputError, match=r"input 'student'.*\['oid'\]"):
        table_input("student", {"frame": ROWS, "columns": {"example_id": "oid"}})


def test_a_many_to_one_mapping_is_refused_before_reading():
    with pytest.raises(EvalGuardInputError, match="each table column may feed one check column"):
        table_input("t", {"path": "never-read.parquet", "columns": {"a": "x", "b": "x"}})
