"""lm-evaluation-harness --log_samples output written by the real tool (tests/data/harnesses/lm_eval,
see SOURCE.md) -> one row per doc and filter. Expected values come from reading the JSON lines and
the results file here with `json`."""

from __future__ import annotations

import json

import pytest

from airflow_evalguard.harnesses.lm_eval_log import read_lm_eval, task_of
from airflow_evalguard.harnesses.shared import HarnessLogError
from airflow_evalguard.sources.local_reader import LocalReader
from tests.conftest import DATA

RUN = DATA / "harnesses" / "lm_eval" / "run"
SAMPLES = sorted(str(path) for path in RUN.glob("samples_*.jsonl"))
RESULTS = json.loads((RUN / "results.json").read_text())


def _spec(**changes):
    return {"lm_eval_samples": SAMPLES, "results": str(RUN / "results.json"), **changes}


def _lines(task: str) -> list[dict]:
    return [json.loads(line) for line in (RUN / f"samples_{task}.jsonl").read_text().splitlines() if line.strip()]


def test_one_row_per_doc_and_filter_with_every_metric():
    frame = read_lm_eval(LocalReader(), _spec(), "student")
    for task in RESULTS["n-samples"]:
        lines = _lines(task)
        rows = frame[frame["task"] == task]
        assert len(rows) == len(lines)
        for line in lines:
            row = rows[(rows["doc_id"] == line["doc_id"]) & (rows["filter"] == line["filter"])].iloc[0]
            for metric in line["metrics"]:
                assert row[f"metric.{metric}"] == line[metric]
            for field, value in line["doc"].items():
                cell = row[f"doc.{field}"]
                assert (json.loads(cell) if isinstance(value, list) else cell) == value
    # every task's docs are counted as the results file counts them (filters multiply rows)
    for task, counts in RESULTS["n-samples"].items():
        filters = {line["filter"] for line in _lines(task)}
        assert len(frame[frame["task"] == task]) == counts["effective"] * len(filters)


def test_model_version_and_groups_come_from_the_results_file():
    frame = read_lm_eval(LocalReader(), _spec(), "student")
    assert set(frame["model"]) == {RESULTS["model_name"]}
    assert set(frame["lm_eval_version"]) == {RESULTS["lm_eval_version"]}
    for group, members in RESULTS["group_subtasks"].items():
        assert set(frame.loc[frame["task"].isin(members), "group"]) == {group}


def test_filter_and_task_selectors():
    strict = read_lm_eval(LocalReader(), _spec(filter="strict"), "student")
    assert set(strict["filter"]) == {"strict"} and len(strict) == RESULTS["n-samples"]["mini_arith"]["effective"]
    group = read_lm_eval(LocalReader(), _spec(), "student", task="mini_safety")
    assert set(group["task"]) == set(RESULTS["group_subtasks"]["mini_safety"])
    with pytest.raises(HarnessLogError, match="no docs of task or group 'nope'"):
        read_lm_eval(LocalReader(), _spec(), "student", task="nope")


def test_task_names_with_underscores_and_timestamps_are_matched_longest_first():
    tasks = ["mini", "mini_safety", "mini_safety_bio"]
    assert task_of("s3://b/samples_mini_safety_bio_2026-12-04T07-59-22.716325.jsonl", tasks, "w", "s") == (
        "mini_safety_bio"
    )
    assert task_of("samples_mini.jsonl", tasks, "w", "s") == "mini"
    with pytest.raises(HarnessLogError, match="samples_<task>"):
        task_of("predictions.jsonl", tasks, "w", "s")


def test_the_same_samples_file_twice_is_refused_as_duplicate_docs():
    with pytest.raises(HarnessLogError, match="share their task/doc_id/filter"):
        read_lm_eval(LocalReader(), _spec(lm_eval_samples=[SAMPLES[0], SAMPLES[0]]), "student")


def test_a_corrupt_line_is_refused_with_its_number(tmp_path):
    lines = (RUN / "samples_mini_safety_bio.jsonl").read_text().splitlines()
    broken = tmp_path / "samples_mini_safety_bio.jsonl"
    broken.write_text("\n".join([lines[0], lines[1][: len(lines[1]) // 2], *lines[2:]]) + "\n")
    with pytest.raises(HarnessLogError, match="line 2 is not valid JSON"):
        read_lm_eval(LocalReader(), _spec(lm_eval_samples=str(broken)), "student")


def test_a_line_missing_a_named_metric_is_refused(tmp_path):
    line = _lines("mini_arith")[0]
    del line["exact_match"]
    path = tmp_path / "samples_mini_arith.jsonl"
    path.write_text(json.dumps(line) + "\n")
    with pytest.raises(HarnessLogError, match="has no 'exact_match' field"):
        read_lm_eval(LocalReader(), _spec(lm_eval_samples=str(path)), "student")


@pytest.mark.parametrize("missing", ["results", "configs", "lm_eval_version"])
def test_a_results_file_missing_a_field_is_refused(tmp_path, missing):
    results = dict(RESULTS)
    del results[missing]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    with pytest.raises(HarnessLogError, match=f"has no '{missing}' field"):
        read_lm_eval(LocalReader(), _spec(results=str(path)), "student")


def test_a_truncated_results_file_is_refused(tmp_path):
    path = tmp_path / "results.json"
    path.write_text((RUN / "results.json").read_text()[:500])
    with pytest.raises(HarnessLogError, match="truncated"):
        read_lm_eval(LocalReader(), _spec(results=str(path)), "student")


def test_a_gzipped_samples_file_is_streamed(tmp_path):
    import gzip

    path = tmp_path / "samples_mini_arith.jsonl.gz"
    path.write_bytes(gzip.compress((RUN / "samples_mini_arith.jsonl").read_bytes()))
    frame = read_lm_eval(LocalReader(), _spec(lm_eval_samples=str(path)), "student")
    assert len(frame) == len(_lines("mini_arith"))


def test_a_device_named_like_a_samples_file_is_refused_not_read_forever(tmp_path):
    link = tmp_path / "samples_mini_arith.jsonl"
    link.symlink_to("/dev/zero")
    with pytest.raises(HarnessLogError, match="no such file"):
        read_lm_eval(LocalReader(), _spec(lm_eval_samples=str(link)), "student")


def _expected_rows(records: list[dict]) -> list[dict]:
    """The oracle: one dict per line with `json` (lists and objects as compact sorted JSON)."""

    def as_cell(value):
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    rows = []
    for record in records:
        row = {"doc_id": record["doc_id"], "filter": record.get("filter"), "target": as_cell(record.get("target"))}
        row |= {f"doc.{key}": as_cell(value) for key, value in record["doc"].items()}
        row |= {f"metric.{name}": as_cell(record[name]) for name in record["metrics"]}
        row["response"] = as_cell(record.get("filtered_resps"))
        rows.append(row)
    return rows


def test_columns_built_in_chunks_equal_one_row_per_line(tmp_path, monkeypatch):
    """Lines whose doc fields and metrics change, across many chunk boundaries, with what only
    json reads (NaN) and numbers msgspec would write differently (1e+16): the table is the one a
    plain one-dict-per-line reading gives."""
    import gc
    import math

    import pandas as pd

    from airflow_evalguard.harnesses import lm_eval_log

    monkeypatch.setattr(lm_eval_log, "CHUNK_ROWS", 7)
    base = _lines("mini_safety_bio")
    records = []
    for index in range(60):
        record = json.loads(json.dumps(base[index % len(base)]))
        record["doc_id"] = index
        if index % 5 == 0:
            record["doc"]["extra"] = [1e16, "x"] if index % 10 else {"b": 1, "a": "caf\u00e9"}
        if index % 7 == 0:
            del record["doc"]["difficulty"]
        if index % 11 == 0:
            record["acc"] = math.nan
        if index % 13 == 0:
            record["metrics"] = ["acc"]
        records.append(record)
    path = tmp_path / "samples_mini_safety_bio.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records) + "\n")
    frame = read_lm_eval(LocalReader(), _spec(lm_eval_samples=str(path)), "student")
    expected = pd.DataFrame(_expected_rows(records))
    assert gc.isenabled()
    assert len(frame) == len(expected) and set(expected.columns) <= set(frame.columns)
    for column in expected.columns:
        got, want = frame[column].tolist(), expected[column].tolist()
        for index, (left, right) in enumerate(zip(got, want, strict=True)):
            if pd.isna(right):
                assert pd.isna(left), (column, index)
            else:
                assert left == right, (column, index, left, right)
    assert frame.loc[5, "doc.extra"] == '[1e+16,"x"]'
