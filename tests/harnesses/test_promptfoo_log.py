"""promptfoo `eval -o results.json` written by the real tool (tests/data/harnesses/promptfoo, see
SOURCE.md) -> one row per test case and provider. Expected values are read here with `json`."""

from __future__ import annotations

import json

import pytest

from airflow_evalguard.harnesses.promptfoo_log import read_promptfoo
from airflow_evalguard.harnesses.shared import HarnessLogError
from tests.conftest import DATA

PATH = DATA / "harnesses" / "promptfoo" / "results.json"
DOC = json.loads(PATH.read_text())


def _read(data: bytes | None = None, **kwargs):
    return read_promptfoo(PATH.read_bytes() if data is None else data, "input 'p'", "p", **kwargs)


def test_one_row_per_result_with_vars_scores_and_grader_reasons():
    frame = _read()
    results = DOC["results"]["results"]
    assert len(frame) == len(results)
    for result in results:
        label = result["provider"].get("label") or result["provider"]["id"]
        row = frame[(frame["test_idx"] == result["testIdx"]) & (frame["provider"] == label)].iloc[0]
        assert row["success"] == result["success"] and row["score"] == result["score"]
        assert {key: row[f"vars.{key}"] for key in result["vars"]} == result["vars"]
        assert {key: row[f"named_score.{key}"] for key in result["namedScores"]} == result["namedScores"]
        assert row["grader_reason"] == result["gradingResult"]["reason"]
        reasons = [part["reason"] for part in json.loads(row["grader_results"])]
        assert reasons == [part["reason"] for part in result["gradingResult"]["componentResults"]]
        assert row["latency_ms"] == result["latencyMs"] and row["cost"] == result["cost"]
        assert row["total_tokens"] == result["tokenUsage"]["total"]
        assert row["provider_id"] == result["provider"]["id"]
    assert frame.attrs["eval_id"] == DOC["evalId"]
    assert set(frame["promptfoo_version"]) == {DOC["metadata"]["promptfooVersion"]}


def test_provider_selector_by_label():
    labels = {result["provider"]["label"] for result in DOC["results"]["results"]}
    for label in labels:
        rows = _read(provider=label)
        assert set(rows["provider"]) == {label}
        assert len(rows) == sum(result["provider"]["label"] == label for result in DOC["results"]["results"])
    with pytest.raises(HarnessLogError, match="no results of provider 'gpt-9'"):
        _read(provider="gpt-9")


@pytest.mark.parametrize("version", [2, 4, None])
def test_an_unknown_results_version_is_refused(version):
    doc = json.loads(PATH.read_text())
    doc["results"]["version"] = version
    with pytest.raises(HarnessLogError, match=rf"format version {version!r}; this reader knows version\(s\) \[3\]"):
        _read(json.dumps(doc).encode())


def test_truncated_and_fieldless_files_are_refused():
    with pytest.raises(HarnessLogError, match="truncated"):
        _read(PATH.read_bytes()[:1000])
    doc = json.loads(PATH.read_text())
    del doc["results"]["results"][2]["success"]
    with pytest.raises(HarnessLogError, match="no 'success' field"):
        _read(json.dumps(doc).encode())
    with pytest.raises(HarnessLogError, match="no 'results' field"):
        _read(b'{"evalId": "x"}')


def test_two_providers_sharing_a_label_are_refused():
    doc = json.loads(PATH.read_text())
    for result in doc["results"]["results"]:
        result["provider"]["label"] = "same"
        result["promptIdx"] = 0
    with pytest.raises(HarnessLogError, match="share their test_idx/prompt_idx/provider"):
        _read(json.dumps(doc).encode())
