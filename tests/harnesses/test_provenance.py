"""A result whose input was a harness log names the log and the sha256 of its bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from airflow_evalguard.harnesses.provenance import logs_sha256
from airflow_evalguard.run import run_check
from airflow_evalguard.sources.local_reader import LocalReader
from airflow_evalguard.sources.specs import resolve_inputs
from tests.conftest import DATA
from tests.schema import assert_valid_result

HARNESSES = DATA / "harnesses"
LM_EVAL = HARNESSES / "lm_eval" / "run"


def test_the_hash_is_sha256sum_of_the_files_one_after_the_other():
    files = [LM_EVAL / "samples_mini_arith.jsonl", LM_EVAL / "results.json"]
    joined = b"".join(path.read_bytes() for path in files)
    assert logs_sha256(LocalReader(), [str(path) for path in files], "s") == hashlib.sha256(joined).hexdigest()


def test_a_result_on_harness_logs_records_each_logs_uri_and_content_hash():
    spec = {"scorer": "model_graded_qa", "epoch": 1, "preset": "refusal_regression"}
    paths = {
        side: HARNESSES / "inspect" / f"{side}{ext}" for side, ext in (("baseline", ".eval"), ("candidate", ".json"))
    }
    inputs = resolve_inputs({side: {"inspect_log": str(path), **spec} for side, path in paths.items()})
    result = assert_valid_result(run_check("refusal_regression", inputs, {"min_pairs": 1}))
    recorded = {entry["name"]: entry for entry in result["inputs"]}
    for side, path in paths.items():
        assert recorded[side]["uri"] == str(Path(path).resolve())
        assert recorded[side]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert recorded[side]["rows"] == len(inputs[side])


def test_an_lm_eval_input_names_every_file_it_read():
    files = [str(LM_EVAL / "samples_mini_safety_bio.jsonl"), str(LM_EVAL / "samples_mini_safety_cyber.jsonl")]
    spec = {"lm_eval_samples": files, "results": str(LM_EVAL / "results.json")}
    frame = resolve_inputs({"teacher": {**spec, "preset": "slice_retention", "columns": {"correct": "metric.acc"}}})
    named = [*files, spec["results"]]
    assert frame["teacher"].attrs["log_uri"] == ", ".join(str(Path(path).resolve()) for path in named)
    joined = b"".join(Path(path).read_bytes() for path in named)
    assert frame["teacher"].attrs["log_sha256"] == hashlib.sha256(joined).hexdigest()
