"""Presets as data, validated when a DAG file is parsed (or the CLI parses --input): no file is read."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from airflow_evalguard.checks import get_check
from airflow_evalguard.cli import main
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.forms import FORMS, check_harness_form
from airflow_evalguard.harnesses.presets import DERIVED, LACKS, PRESETS, check_preset, merged_mappings
from airflow_evalguard.operators.literal_params import validate_literal_inputs
from tests.conftest import DATA


def test_every_preset_fills_real_inputs_of_a_registered_check_from_a_known_form():
    for (form, check), preset in PRESETS.items():
        assert form in FORMS and (form, check) not in LACKS
        assert set(preset.feeds) <= set(get_check(check).inputs), (form, check)
        assert set(preset.derived.values()) <= set(DERIVED)
        assert set(preset.values) <= set(preset.columns), "a preset recodes only columns it maps"
        assert set(preset.numeric) <= set(preset.columns) | set(preset.derived)
    for form, check in LACKS:
        assert form in FORMS and get_check(check).name == check


@pytest.mark.parametrize(
    ("name", "spec", "message"),
    [
        ("baseline", {"inspect_log": "a.eval", "preset": "refusal"}, "'preset' must be one of"),
        ("baseline", {"inspect_log": "a.eval", "preset": 3}, "'preset' must be one of"),
        ("baseline", {"inspect_log": "a.eval", "preset": "refusal_regression"}, "needs ['scorer']"),
        ("scores", {"inspect_log": "a.eval", "scorer": "s", "preset": "refusal_regression"}, "fills input(s)"),
        ("requests", {"promptfoo_results": "r.json", "preset": "latency_tail"}, "no per-result timestamp ('ts')"),
        (
            "scores",
            {"lm_eval_samples": "s.jsonl", "results": "r.json", "preset": "judge_drift"},
            "no grader model ('judge_model')",
        ),
        ("records", {"lm_eval_samples": "s.jsonl", "results": "r.json", "preset": "output_contract"}, "no tool calls"),
        (
            "baseline",
            {"inspect_log": "a.eval", "scorer": "s", "preset": "refusal_regression", "columns": {"x": "id"}},
            "maps harness column 'id' onto ['prompt_id', 'x']",
        ),
    ],
)
def test_a_preset_the_harness_cannot_fill_is_refused_naming_the_field_and_the_check(name, spec, message):
    with pytest.raises(EvalGuardInputError) as caught:
        check_harness_form(name, spec)
    assert message in str(caught.value) and str(caught.value).startswith(f"input '{name}'")
    with pytest.raises(EvalGuardInputError, match="input '"):  # the operator refuses it when the DAG is parsed
        validate_literal_inputs({name: spec})


def test_the_inputs_own_mappings_win_over_the_presets_entry_by_entry():
    spec = {"inspect_log": "a.eval", "scorer": "s", "preset": "refusal_regression"}
    preset = check_preset("baseline", "inspect_log", spec)
    merged = merged_mappings(preset, {**spec, "columns": {"expected": "metadata.kind"}})
    assert merged["columns"] == {**preset.columns, "expected": "metadata.kind"}
    assert "expected" not in merged["values"], "a remapped column is no longer recoded the preset's way"
    relabelled = merged_mappings(preset, {**spec, "values": {"expected": {"harmful": "refuse"}}})
    assert relabelled["values"]["expected"] == {"harmful": "refuse"}


def test_a_preset_on_the_cli_is_refused_with_exit_2_before_anything_is_read(tmp_path, capsys):
    spec = {"promptfoo_results": str(tmp_path / "missing.json"), "preset": "latency_tail"}
    code = main(["run", "latency_tail", "--input", f"requests={json.dumps(spec)}", "--out", str(tmp_path / "out")])
    assert code == 2 and "per-result timestamp" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_importing_presets_loads_nothing_heavy():
    code = (
        "import sys, airflow_evalguard.harnesses.presets; print([m for m in ('pandas', 'pyarrow') if m in sys.modules])"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    )


def test_a_preset_given_to_another_checks_input_is_refused_when_parsed_and_when_run(tmp_path, capsys):
    spec = {"inspect_log": "base.eval", "preset": "output_contract"}
    with pytest.raises(EvalGuardInputError, match="preset 'output_contract' maps the log for output_contract"):
        validate_literal_inputs({"baseline": spec}, "refusal_regression")
    validate_literal_inputs({"baseline": spec}, "output_contract")
    log = str(DATA / "harnesses" / "inspect" / "baseline.eval")
    argv = ["run", "refusal_regression", "--out", str(tmp_path / "out")]
    refusal = {"inspect_log": log, "scorer": "model_graded_qa", "epoch": 1, "preset": "refusal_regression"}
    argv += ["--input", f"baseline={json.dumps({'inspect_log': log, 'preset': 'output_contract'})}"]
    argv += ["--input", f"candidate={json.dumps(refusal)}"]
    assert main(argv) == 2
    assert "this is an input of refusal_regression" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
