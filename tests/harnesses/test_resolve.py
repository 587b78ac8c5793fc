"""Harness inputs resolved at execute time: selectors, mappings, the epoch rule, the reader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.fs as pafs
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.resolve import read_harness_input
from airflow_evalguard.sources.local_reader import LocalReader, NoSuchInput
from airflow_evalguard.sources.specs import resolve_inputs
from tests.conftest import DATA

HARNESSES = DATA / "harnesses"
BASELINE = str(HARNESSES / "inspect" / "baseline.eval")
RAW = json.loads((HARNESSES / "inspect" / "baseline.json").read_text())


class FakeS3Reader:
    """Serves s3://bucket/<relative path> from the fixtures folder, as an S3HookReader would:
    whole objects by read_bytes, streams through a pyarrow filesystem. Records what was read."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def _path(self, uri: str) -> Path:
        return HARNESSES / uri.removeprefix("s3://bucket/")

    def read_bytes(self, uri: str, *, input_name: str) -> bytes:
        self.read.append(uri)
        if not self._path(uri).is_file():
            raise NoSuchInput(f"input '{input_name}': no such S3 object: {uri}", input_name=input_name)
        return self._path(uri).read_bytes()

    def arrow_filesystem(self, uri: str):
        self.read.append(uri)
        return pafs.LocalFileSystem(), str(self._path(uri))


def test_scorer_selector_copies_one_scorers_columns():
    frame = read_harness_input("b", {"inspect_log": BASELINE, "scorer": "model_graded_qa"}, LocalReader())
    assert frame["score"].equals(frame["score.model_graded_qa"])
    assert frame["grader_model"].dropna().unique().tolist() == ["judge-v1"]
    scorers = sorted({name for sample in RAW["samples"] for name in sample["scores"]})
    with pytest.raises(EvalGuardInputError, match=re.escape(f"has no scorer 'judge'; its scorers are {scorers}")):
        read_harness_input("b", {"inspect_log": BASELINE, "scorer": "judge"}, LocalReader())


def test_mapping_id_with_several_epochs_is_refused_naming_the_epoch_selector():
    spec = {"inspect_log": BASELINE, "columns": {"prompt_id": "id"}}
    epochs = RAW["eval"]["config"]["epochs"]
    with pytest.raises(EvalGuardInputError, match=rf'holds {epochs} epochs.*"epoch": N \(1..{epochs}\)'):
        read_harness_input("b", spec, LocalReader())
    one = read_harness_input("b", {**spec, "epoch": 2}, LocalReader())
    assert set(one["epoch"]) == {2} and one["prompt_id"].is_unique
    assert len(one) == sum(sample["epoch"] == 2 for sample in RAW["samples"])
    with pytest.raises(
        EvalGuardInputError, match=re.escape(f"has no epoch 9; its epochs are {list(range(1, epochs + 1))}")
    ):
        read_harness_input("b", {**spec, "epoch": 9}, LocalReader())


def test_errored_samples_are_kept_unless_dropped_on_request_and_then_counted():
    errored = sum(1 for sample in RAW["samples"] if sample.get("error"))
    kept = read_harness_input("b", {"inspect_log": BASELINE}, LocalReader())
    assert (kept["status"] == "error").sum() == errored == kept.attrs["errored"]
    dropped = read_harness_input("b", {"inspect_log": BASELINE, "errored": "drop"}, LocalReader())
    assert len(dropped) == len(RAW["samples"]) - errored and dropped.attrs["dropped_errored"] == errored


def test_s3_uris_are_read_through_the_reader_the_shell_hands_in():
    reader = FakeS3Reader()
    samples = ["s3://bucket/lm_eval/run/samples_mini_arith.jsonl"]
    frame = read_harness_input(
        "s", {"lm_eval_samples": samples, "results": "s3://bucket/lm_eval/run/results.json"}, reader
    )
    # read for the table, then again, streamed, for the content hash the result records
    results = "s3://bucket/lm_eval/run/results.json"
    assert reader.read == [results, *samples, *samples, results]
    assert len(frame) == len((HARNESSES / "lm_eval/run/samples_mini_arith.jsonl").read_text().splitlines())
    assert frame.attrs["source"] == [*samples, "s3://bucket/lm_eval/run/results.json"]
    with pytest.raises(NoSuchInput, match="no such S3 object"):
        read_harness_input("p", {"promptfoo_results": "s3://bucket/missing.json"}, reader)


def test_resolve_inputs_reads_harness_logs_beside_plain_inputs():
    promptfoo = str(HARNESSES / "promptfoo" / "results.json")
    spec = {"promptfoo_results": promptfoo, "columns": {"segment": "vars.tier"}}
    resolved = resolve_inputs({"answers": spec, "other": "x.parquet"})
    assert resolved["other"] == "x.parquet"
    assert resolved["answers"]["segment"].tolist() == [
        result["vars"]["tier"] for result in json.loads(Path(promptfoo).read_text())["results"]["results"]
    ]


def test_resolve_inputs_refuses_a_malformed_harness_input():
    with pytest.raises(EvalGuardInputError, match="unknown key"):
        resolve_inputs({"b": {"inspect_log": BASELINE, "scorers": "x"}})
