"""Inspect AI logs written by the real tool (tests/data/harnesses/inspect, see SOURCE.md) -> rows.

Expected values are read from the logs here with `json` and `zipfile` alone, or from what
Inspect's own reader reported (reader_view.json, written by make_fixture.py with inspect_ai),
never copied from the reader under test.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from airflow_evalguard.harnesses.inspect_files import inspect_installed
from airflow_evalguard.harnesses.inspect_log import read_inspect_log
from airflow_evalguard.harnesses.shared import HarnessLogError
from tests.conftest import DATA

LOGS = DATA / "harnesses" / "inspect"
SIDES = ("baseline", "candidate")
VIEW = json.loads((LOGS / "reader_view.json").read_text())


def _read(stem: str, suffix: str, **kwargs) -> pd.DataFrame:
    path = LOGS / f"{stem}{suffix}"
    return read_inspect_log(path.read_bytes(), str(path), f"input '{stem}'", stem, use_inspect=False, **kwargs)


def _raw_samples(stem: str) -> list[dict]:
    return json.loads((LOGS / f"{stem}.json").read_text())["samples"]


@pytest.mark.parametrize("stem", SIDES)
def test_one_row_per_sample_and_epoch_errored_samples_kept(stem):
    raw = _raw_samples(stem)
    frame = _read(stem, ".json")
    assert sorted(zip(frame["id"], frame["epoch"], strict=True)) == sorted((str(s["id"]), s["epoch"]) for s in raw)
    errored = {(str(s["id"]), s["epoch"]) for s in raw if s.get("error")}
    assert errored, "the fixture has errored samples"
    rows_errored = frame[frame["status"] == "error"]
    assert set(zip(rows_errored["id"], rows_errored["epoch"], strict=True)) == errored
    assert frame.attrs["errored"] == len(errored)
    assert frame.attrs["model"] == json.loads((LOGS / f"{stem}.json").read_text())["eval"]["model"]


@pytest.mark.parametrize("stem", SIDES)
def test_scores_answers_metadata_usage_and_grader_match_the_json(stem):
    raw = {(str(s["id"]), s["epoch"]): s for s in _raw_samples(stem)}
    model = json.loads((LOGS / f"{stem}.json").read_text())["eval"]["model"]
    for row in _read(stem, ".json").to_dict("records"):
        sample = raw[(row["id"], row["epoch"])]
        for scorer, score in (sample.get("scores") or {}).items():
            assert row[f"score.{scorer}"] == score["value"]
            assert row[f"answer.{scorer}"] == score["answer"]
            grading = (score.get("metadata") or {}).get("grading")
            if grading:
                assert row[f"grader_model.{scorer}"] == grading[-1]["model"]
        for key, value in sample["metadata"].items():
            assert row[f"metadata.{key}"] == value
        assert row["target"] == sample["target"]
        usage = sample["model_usage"].get(model)
        if usage:
            assert (row["input_tokens"], row["output_tokens"]) == (usage["input_tokens"], usage["output_tokens"])
        assert row["total_time"] == sample["total_time"] and row["working_time"] == sample["working_time"]
        assert (row["limit"] if isinstance(row["limit"], str) else None) == (sample.get("limit") or {}).get("type")


def test_tool_calls_keep_their_arguments():
    frame = _read("baseline", ".json")
    raw = _raw_samples("baseline")
    for sample in raw:
        expected = [
            {"function": call["function"], "arguments": call["arguments"]}
            for message in sample["messages"]
            if message["role"] == "assistant"
            for call in message.get("tool_calls") or []
        ]
        row = frame[(frame["id"] == sample["id"]) & (frame["epoch"] == sample["epoch"])].iloc[0]
        assert json.loads(row["tool_calls"]) == expected
        assert row["tool_call_count"] == len(expected)
    assert frame["tool_call_count"].max() > 1  # the looping sample called its tool until the limit


@pytest.mark.parametrize("stem", SIDES)
def test_eval_zip_and_json_give_the_same_rows(stem):
    from_zip, from_json = _read(stem, ".eval"), _read(stem, ".json")
    pd.testing.assert_frame_equal(from_zip, from_json)


@pytest.mark.parametrize("stem", SIDES)
def test_rows_agree_with_what_inspects_own_reader_reported(stem):
    """reader_view.json: inspect_ai.log.read_eval_log's view of the same .eval file."""
    view = VIEW[stem]
    frame = _read(stem, ".eval").set_index(["id", "epoch"])
    assert len(frame) == len(view["samples"])
    for sample in view["samples"]:
        row = frame.loc[(str(sample["id"]), sample["epoch"])]
        assert {name: row[f"score.{name}"] for name in sample["scores"]} == {
            name: score["value"] for name, score in sample["scores"].items()
        }
        assert (row["error"] if isinstance(row["error"], str) else None) == sample["error"]
        assert (row["limit"] if isinstance(row["limit"], str) else None) == sample["limit"]
        assert row["total_time"] == sample["total_time"]
        assert {k: row[f"metadata.{k}"] for k in sample["metadata"]} == sample["metadata"]


@pytest.mark.skipif(not inspect_installed(), reason="inspect_ai not installed (the optional `inspect` extra)")
@pytest.mark.parametrize("suffix", [".eval", ".json"])
@pytest.mark.parametrize("stem", SIDES)
def test_builtin_reader_equals_inspects_reader(stem, suffix):
    path = LOGS / f"{stem}{suffix}"
    ours = read_inspect_log(path.read_bytes(), str(path), "w", stem, use_inspect=False)
    theirs = read_inspect_log(path.read_bytes(), str(path), "w", stem, use_inspect=True)
    pd.testing.assert_frame_equal(ours, theirs)


def test_duplicate_sample_and_epoch_is_refused():
    log = json.loads((LOGS / "baseline.json").read_text())
    log["samples"].append(log["samples"][0])
    with pytest.raises(HarnessLogError, match=r"share their id/epoch"):
        read_inspect_log(json.dumps(log).encode(), "x.json", "input 'b'", "b", use_inspect=False)


def test_a_log_without_samples_is_refused():
    log = json.loads((LOGS / "baseline.json").read_text())
    log["samples"] = []
    with pytest.raises(HarnessLogError, match="no samples"):
        read_inspect_log(json.dumps(log).encode(), "x.json", "input 'b'", "b", use_inspect=False)


def test_a_sample_without_an_id_names_the_field():
    log = json.loads((LOGS / "baseline.json").read_text())
    del log["samples"][3]["id"]
    with pytest.raises(HarnessLogError, match="no 'id' field"):
        read_inspect_log(json.dumps(log).encode(), "x.json", "input 'b'", "b", use_inspect=False)
