"""The shared pieces: JSON with clear errors, cells, the columns/values mappings, duplicates."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.shared import (
    HarnessLogError,
    apply_mappings,
    cell,
    parse_json,
    read_whole,
    refuse_duplicates,
)
from airflow_evalguard.settings import max_decompressed_bytes_set_to
from airflow_evalguard.sources.local_reader import LocalReader


def test_parse_json_keeps_non_finite_numbers_and_names_truncation():
    assert math.isnan(parse_json(b'{"x": NaN}', "w", "i")["x"])
    with pytest.raises(HarnessLogError, match="truncated"):
        parse_json(b'{"x": [1, 2', "w", "i")
    with pytest.raises(HarnessLogError, match="line 2 column 1"):
        parse_json(b'{"x": 1}\n}', "w", "i")
    with pytest.raises(HarnessLogError, match="nests JSON too deeply"):
        parse_json(b"[" * 100_000 + b"]" * 100_000, "w", "i")


def test_cells_are_scalars_or_json_text():
    assert cell(1.5) == 1.5 and cell(None) is None and cell("a") == "a"
    assert cell({"b": [1, 2], "a": None}) == '{"a":null,"b":[1,2]}'


def test_columns_mapping_adds_check_columns_beside_the_harness_ones():
    frame = pd.DataFrame({"id": ["a", "b"], "metadata.label": ["safe", "unsafe"]})
    out = apply_mappings(
        frame,
        {"columns": {"prompt_id": "id", "expected": "metadata.label"}, "values": {"expected": {"unsafe": "refuse"}}},
        "baseline",
    )
    assert out["prompt_id"].tolist() == ["a", "b"] and out["id"].tolist() == ["a", "b"]
    assert out["expected"].tolist() == ["safe", "refuse"]  # an unlisted value is kept for the check to judge
    assert frame.columns.tolist() == ["id", "metadata.label"]  # the input frame is not changed


def test_values_match_numbers_and_booleans_by_their_text():
    out = apply_mappings(pd.DataFrame({"s": [True, False, 1]}), {"values": {"s": {"True": "pass", "1": "one"}}}, "x")
    assert out["s"].tolist() == ["pass", False, "one"]


def test_mappings_naming_missing_columns_are_refused_with_what_exists():
    frame = pd.DataFrame({"id": [1]})
    with pytest.raises(EvalGuardInputError, match=r"'columns' names \['sample_id'\].*it has \['id'\]"):
        apply_mappings(frame, {"columns": {"prompt_id": "sample_id"}}, "baseline")
    with pytest.raises(EvalGuardInputError, match="'values' recodes column 'label'"):
        apply_mappings(frame, {"values": {"label": {"a": "b"}}}, "baseline")


def test_duplicates_name_the_keys_and_the_first_repeat():
    frame = pd.DataFrame({"id": ["a", "a", "b"], "epoch": [1, 1, 1]})
    with pytest.raises(HarnessLogError, match=r"2 rows share their id/epoch \(first: \{'id': 'a', 'epoch': 1\}\)"):
        refuse_duplicates(frame, ["id", "epoch"], "w", "i", "hint")


def test_read_whole_refuses_an_object_beyond_the_limit(tmp_path):
    path = tmp_path / "log.json"
    path.write_bytes(b"{}" * 600)
    with max_decompressed_bytes_set_to(1000), pytest.raises(HarnessLogError, match="more than the 1,000 allowed"):
        read_whole(LocalReader(), str(path), "baseline")
