"""Two harness logs of different tasks are refused as the sides of a paired check."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.pairs import refuse_different_tasks, tasks_of
from airflow_evalguard.sources.specs import resolve_inputs
from tests.conftest import DATA

INSPECT = DATA / "harnesses" / "inspect"
LM_EVAL = DATA / "harnesses" / "lm_eval" / "run"


def _frame(**attrs):
    frame = pd.DataFrame({"id": [1]})
    frame.attrs.update(attrs)
    return frame


def test_tasks_are_read_from_what_each_harness_records():
    assert tasks_of(_frame(harness="inspect", task="xstest")) == ("inspect", ["xstest"])
    assert tasks_of(_frame(harness="lm_eval", tasks=["b", "a"])) == ("lm_eval", ["a", "b"])
    assert tasks_of(_frame(harness="promptfoo")) is None
    assert tasks_of("rows.parquet") is None


def test_only_pairs_of_one_harness_with_different_tasks_are_refused():
    xstest, other = _frame(harness="inspect", task="xstest"), _frame(harness="inspect", task="jailbreak")
    refuse_different_tasks({"baseline": xstest, "candidate": xstest}, {"baseline", "candidate"})
    refuse_different_tasks({"baseline": xstest, "candidate": other}, {"baseline"})  # one side is a table
    lm_eval = _frame(harness="lm_eval", tasks=["arith"])
    refuse_different_tasks({"teacher": xstest, "student": lm_eval}, {"teacher", "student"})
    with pytest.raises(EvalGuardInputError, match="'xstest' vs 'jailbreak'") as raised:
        refuse_different_tasks({"baseline": xstest, "candidate": other}, {"baseline", "candidate"})
    assert raised.value.input_name == "candidate"


def test_inspect_logs_of_two_tasks_are_refused_naming_both(tmp_path):
    log = json.loads((INSPECT / "candidate.json").read_text())
    log["eval"]["task"] = "jailbreak_mini"
    (tmp_path / "other.json").write_text(json.dumps(log))
    same = {"baseline": {"inspect_log": str(INSPECT / "baseline.json")}}
    resolve_inputs({**same, "candidate": {"inspect_log": str(INSPECT / "candidate.json")}})
    with pytest.raises(EvalGuardInputError, match="inspect logs of different tasks: 'xstest_mini' vs 'jailbreak_mini'"):
        resolve_inputs({**same, "candidate": {"inspect_log": str(tmp_path / "other.json")}})


def test_lm_eval_runs_of_two_tasks_are_refused_unless_one_task_is_chosen_on_both():
    def side(samples, task=None):
        spec = {"lm_eval_samples": str(LM_EVAL / samples), "results": str(LM_EVAL / "results.json")}
        return {**spec, "task": task} if task else spec

    with pytest.raises(EvalGuardInputError, match="lm_eval logs of different tasks: 'mini_arith' vs 'mini_safety_bio'"):
        resolve_inputs({"teacher": side("samples_mini_arith.jsonl"), "student": side("samples_mini_safety_bio.jsonl")})
    both = [str(LM_EVAL / "samples_mini_arith.jsonl"), str(LM_EVAL / "samples_mini_safety_bio.jsonl")]
    chosen = {**side("x"), "lm_eval_samples": both, "task": "mini_arith"}
    resolved = resolve_inputs({"teacher": chosen, "student": side("samples_mini_arith.jsonl")})
    assert resolved["teacher"].attrs["tasks"] == resolved["student"].attrs["tasks"] == ["mini_arith"]
