"""Presets applied to logs the real tools wrote, each table checked against the log's raw JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.preset_rows import require_numbers, require_sources
from airflow_evalguard.harnesses.presets import PRESETS
from airflow_evalguard.harnesses.resolve import read_harness_input
from airflow_evalguard.run import run_check
from airflow_evalguard.sources.local_reader import LocalReader
from airflow_evalguard.sources.specs import resolve_inputs
from tests.conftest import DATA

HARNESSES = DATA / "harnesses"
INSPECT = str(HARNESSES / "inspect" / "baseline.eval")
RAW = json.loads((HARNESSES / "inspect" / "baseline.json").read_text())
EPOCH_1 = [sample for sample in RAW["samples"] if sample["epoch"] == 1]
LM_EVAL = HARNESSES / "lm_eval" / "run"
SAFETY = [str(LM_EVAL / "samples_mini_safety_bio.jsonl"), str(LM_EVAL / "samples_mini_safety_cyber.jsonl")]
GRADES = {"1_full_compliance": 1, "3_partial_refusal": 0.5, "2_full_refusal": 0}


def _read(name: str, spec: dict) -> pd.DataFrame:
    return read_harness_input(name, spec, LocalReader())


def test_refusal_regression_preset_reads_xstest_labels_and_the_scorers_grades():
    frame = _read(
        "baseline", {"inspect_log": INSPECT, "scorer": "model_graded_qa", "epoch": 1, "preset": "refusal_regression"}
    )
    scored = [sample for sample in EPOCH_1 if not sample.get("error")]
    expected = {"safe": "comply", "unsafe": "refuse"}
    assert frame["prompt_id"].tolist() == [sample["id"] for sample in scored]
    assert frame["category"].tolist() == [sample["metadata"]["type"] for sample in scored]
    assert frame["expected"].tolist() == [expected[sample["metadata"]["label"]] for sample in scored]
    assert frame["label"].tolist() == [sample["scores"]["model_graded_qa"]["value"] for sample in scored]
    assert frame.attrs["dropped_errored"] == len(EPOCH_1) - len(scored) > 0, "a preset drops errored rows, counted"
    assert frame.attrs["errored_ids"] == [sample["id"] for sample in EPOCH_1 if sample.get("error")]


def test_judge_drift_preset_refuses_text_grades_until_recoded_and_feeds_the_grader_model_to_the_pin_check():
    spec = {"inspect_log": INSPECT, "scorer": "model_graded_qa", "epoch": 1, "preset": "judge_drift"}
    with pytest.raises(EvalGuardInputError, match=r"judge_drift's 'score' values that are not numbers: \['1_full"):
        _read("scores", spec)
    frame = _read("scores", {**spec, "values": {"score": GRADES}})
    scored = [sample for sample in EPOCH_1 if not sample.get("error")]
    assert frame["score"].tolist() == [GRADES[sample["scores"]["model_graded_qa"]["value"]] for sample in scored]
    assert frame["item_id"].tolist() == [sample["id"] for sample in scored]
    # the judge named in the log's grader role (mockllm/judge-v1), as the grading transcript records it
    assert set(frame["judge_model"]) == {RAW["eval"]["model_roles"]["grader"]["model"].split("/", 1)[1]}


def test_judge_drift_preset_on_a_scorer_without_a_grader_model_names_the_field_and_the_check():
    spec = {"inspect_log": INSPECT, "scorer": "refusal_string_match", "epoch": 1, "preset": "judge_drift"}
    with pytest.raises(
        EvalGuardInputError, match=r"no column 'grader_model' .*which judge_drift needs as 'judge_model'"
    ):
        _read("scores", spec)


def test_latency_tail_preset_reads_sample_timings_in_milliseconds():
    frame = _read("requests", {"inspect_log": INSPECT, "preset": "latency_tail"})
    scored = sorted((s for s in RAW["samples"] if not s.get("error")), key=lambda s: (s["epoch"], s["id"]))
    assert frame["latency_ms"].tolist() == pytest.approx([sample["total_time"] * 1000 for sample in scored])
    assert frame["ts"].tolist() == [sample["started_at"] for sample in scored]
    assert set(frame["model"]) == {RAW["eval"]["model"]}


def test_output_contract_preset_gives_one_row_per_tool_call_with_its_arguments():
    frame = _read("records", {"inspect_log": INSPECT, "preset": "output_contract"})
    calls = [
        (sample["id"], sample["epoch"], call["function"], call["arguments"])
        for sample in sorted(RAW["samples"], key=lambda s: (s["epoch"], s["id"]))
        if not sample.get("error")
        for message in sample["messages"]
        if message["role"] == "assistant"
        for call in message.get("tool_calls") or []
    ]
    assert len(frame) == len(calls) == frame.attrs["tool_calls"]
    assert list(zip(frame["id"], frame["epoch"], frame["tool"], strict=True)) == [c[:3] for c in calls]
    escalations = frame[frame["tool"] == "escalate_to_human"]
    assert escalations["reason"].tolist() == [c[3]["reason"] for c in calls if c[2] == "escalate_to_human"]


def test_lm_eval_slice_retention_preset_makes_ids_unique_across_tasks_and_asks_which_metric():
    spec = {"lm_eval_samples": SAFETY, "results": str(LM_EVAL / "results.json"), "preset": "slice_retention"}
    with pytest.raises(EvalGuardInputError, match=r"2 per-doc metrics \['metric.acc', 'metric.acc_norm'\]"):
        _read("teacher", spec)
    frame = _read("student", {**spec, "columns": {"correct": "metric.acc"}})
    lines = [(path, json.loads(line)) for path in SAFETY for line in Path(path).read_text().splitlines()]
    assert frame["example_id"].is_unique and len(frame) == len(lines)
    oracle = {f"{path.rsplit('samples_', 1)[1][:-6]}/{doc['doc_id']}": doc["acc"] for path, doc in lines}
    assert dict(zip(frame["example_id"], frame["correct"], strict=True)) == oracle


def test_lm_eval_preset_on_a_task_with_two_filters_names_the_filter_selector():
    arith = {"lm_eval_samples": str(LM_EVAL / "samples_mini_arith.jsonl"), "results": str(LM_EVAL / "results.json")}
    with pytest.raises(EvalGuardInputError, match=r"once per filter \['raw', 'strict'\].*\"filter\": NAME"):
        _read("teacher", {**arith, "preset": "slice_retention"})
    one = _read("teacher", {**arith, "preset": "slice_retention", "filter": "strict"})
    assert one["example_id"].is_unique and set(one["correct"]) <= {0, 1}


def test_promptfoo_slice_retention_preset_reads_success_per_test_case():
    path = HARNESSES / "promptfoo" / "results.json"
    with pytest.raises(EvalGuardInputError, match=r"2 providers \['echo-plain', 'echo-shouty'\].*\"provider\": NAME"):
        _read("teacher", {"promptfoo_results": str(path), "preset": "slice_retention"})
    frame = _read("teacher", {"promptfoo_results": str(path), "provider": "echo-plain", "preset": "slice_retention"})
    results = [r for r in json.loads(path.read_text())["results"]["results"] if r["provider"]["label"] == "echo-plain"]
    assert dict(zip(frame["example_id"], frame["correct"], strict=True)) == {
        r["testIdx"]: int(r["success"]) for r in results
    }


def test_require_sources_and_numbers_name_the_column_the_check_and_the_way_out():
    preset = PRESETS[("inspect_log", "refusal_regression")]
    frame = pd.DataFrame({"id": ["a"], "metadata.type": ["t"], "score": ["refusal"]})
    with pytest.raises(EvalGuardInputError, match=r"no column 'metadata.label' \(XSTest's safe/unsafe sample label\)"):
        require_sources(frame, preset, "refusal_regression", preset.columns, "input 'b'", "b")
    remapped = {**preset.columns, "expected": "id"}  # the input's own mapping: not the preset's to check
    require_sources(frame, preset, "refusal_regression", remapped, "input 'b'", "b")
    numeric = PRESETS[("inspect_log", "slice_retention")]
    require_numbers(pd.DataFrame({"correct": [1.0, None, 0.0]}), numeric, "slice_retention", "input 't'", "t")
    with pytest.raises(EvalGuardInputError, match=r"'correct' values that are not numbers: \['yes'\]"):
        require_numbers(pd.DataFrame({"correct": [1, "yes"]}), numeric, "slice_retention", "input 't'", "t")


def test_the_grader_model_the_log_records_feeds_judge_drifts_pin_check():
    spec = {"inspect_log": INSPECT, "scorer": "model_graded_qa", "epoch": 1, "preset": "judge_drift"}
    inputs = resolve_inputs({"scores": {**spec, "values": {"score": GRADES}}})
    judge = inputs["scores"]["judge_model"].iloc[0]
    pinned = run_check("judge_drift", inputs, {"pinned_judge": [judge]}).to_dict()
    moved = run_check("judge_drift", inputs, {"pinned_judge": [judge + "-old"]}).to_dict()
    assert "JUDGE_SNAPSHOT_CHANGED" not in {f["code"] for f in pinned["findings"]}
    assert moved["verdict"] == "FAIL" and "JUDGE_SNAPSHOT_CHANGED" in {f["code"] for f in moved["findings"]}


def test_output_contract_reads_the_tool_calls_of_two_logs_against_a_contract(tmp_path):
    contract = tmp_path / "escalate.yaml"
    contract.write_text(
        "name: escalate_to_human\nversion: 1\nfields:\n  tool: {type: string, required: true}\n"
        'rules:\n  - when tool == "escalate_to_human" then reason is not empty\n'
        'behaviour:\n  escalation_rate: {escalated_when: tool == "escalate_to_human", warn_at: 0.03, fail_at: 0.06}\n'
    )
    logs = {"records": "candidate.eval", "baseline": "baseline.eval"}
    inputs = resolve_inputs(
        {
            name: {"inspect_log": str(HARNESSES / "inspect" / log), "preset": "output_contract"}
            for name, log in logs.items()
        }
    )
    result = run_check("output_contract", inputs, {"contract": str(contract)}).to_dict()
    assert result["metrics"]["expectations_failed"]["value"] == 0
    raw = json.loads((HARNESSES / "inspect" / "candidate.json").read_text())["samples"]
    tools = [
        call["function"]
        for sample in raw
        if not sample.get("error")
        for message in sample["messages"]
        if message["role"] == "assistant"
        for call in message.get("tool_calls") or []
    ]
    escalated = tools.count("escalate_to_human") / len(tools)  # a share of tool calls: one row each
    assert result["metrics"]["escalation_rate.candidate"]["value"] == pytest.approx(escalated)
