"""The shape of harness-log inputs, checked without reading anything."""

from __future__ import annotations

import subprocess
import sys

import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.forms import check_harness_form, harness_form, harness_paths


@pytest.mark.parametrize(
    ("spec", "form"),
    [
        ({"inspect_log": "s3://b/run.eval"}, "inspect_log"),
        (
            {"inspect_log": "a.json", "scorer": "x", "epoch": 2, "errored": "drop", "columns": {"a": "id"}},
            "inspect_log",
        ),
        (
            {"lm_eval_samples": ["a.jsonl", "b.jsonl"], "results": "r.json", "task": "t", "filter": "f"},
            "lm_eval_samples",
        ),
        ({"promptfoo_results": "r.json", "provider": "p", "values": {"c": {"a": "b"}}}, "promptfoo_results"),
    ],
)
def test_well_formed_inputs_name_their_form(spec, form):
    assert check_harness_form("x", spec) == form


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"inspect_log": "a", "promptfoo_results": "b"}, "exactly one harness log"),
        ({"inspect_log": "a", "tasks": "t"}, "unknown key(s) ['tasks']"),
        ({"lm_eval_samples": "a.jsonl"}, "needs ['results']"),
        ({"lm_eval_samples": [], "results": "r"}, "a list of them"),
        ({"inspect_log": ""}, "must be a path or s3:// URI"),
        ({"inspect_log": 3}, "must be a path or s3:// URI"),
        ({"inspect_log": "a", "epoch": 0}, "'epoch' must be a whole number >= 1"),
        ({"inspect_log": "a", "epoch": True}, "'epoch' must be a whole number >= 1"),
        ({"inspect_log": "a", "errored": "skip"}, "'errored' must be"),
        ({"inspect_log": "a", "scorer": ""}, "'scorer' must be a non-empty name"),
        ({"inspect_log": "a", "columns": ["id"]}, "'columns' must be a JSON object"),
        ({"inspect_log": "a", "columns": {"prompt_id": 1}}, "'columns' maps column -> harness column"),
        ({"inspect_log": "a", "values": {"expected": "refuse"}}, "'values' maps column -> {value: new value}"),
        ({"inspect_log": "a", "columns": {"prompt_id": "id", "category": "id"}}, "maps harness column 'id' onto"),
        ({"inspect_log": "a", "columns": {"label": "score", "score": "answer"}}, "maps onto ['score'], which another"),
    ],
)
def test_malformed_inputs_are_refused_in_one_line(spec, message):
    with pytest.raises(EvalGuardInputError, match=None) as caught:
        check_harness_form("baseline", spec)
    assert message in str(caught.value) and str(caught.value).startswith("input 'baseline'")


def test_a_column_may_keep_its_own_name_in_a_one_to_one_mapping():
    assert check_harness_form("b", {"inspect_log": "a", "columns": {"model": "model", "ts": "started_at"}})


def test_forms_and_paths():
    assert harness_form({"sql": "x"}) is None and harness_form("a.parquet") is None
    assert harness_paths({"lm_eval_samples": ["a", "b"], "results": "r"}) == ["a", "b", "r"]
    assert harness_paths({"promptfoo_results": "p.json", "columns": {"x": "y"}}) == ["p.json"]


def test_importing_forms_loads_nothing_heavy():
    code = (
        "import sys, airflow_evalguard.harnesses.forms; print([m for m in ('pandas', 'pyarrow') if m in sys.modules])"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    )
