"""`evalguard run --input NAME='{"inspect_log": ...}'`: a gate on two Inspect logs written by the
real tool, mapped onto refusal_regression's inputs with `columns` and `values` alone."""

from __future__ import annotations

import json

import pytest

from airflow_evalguard.cli import main
from airflow_evalguard.cli_inputs import input_paths, input_value
from airflow_evalguard.exceptions import EvalGuardInputError
from tests.conftest import DATA
from tests.schema import assert_valid_result

LOGS = DATA / "harnesses" / "inspect"
# XSTest labels prompts safe/unsafe; refusal_regression wants expected = comply/refuse.
MAPPING = {
    "scorer": "model_graded_qa",
    "epoch": 1,
    "columns": {"prompt_id": "id", "category": "metadata.type", "expected": "metadata.label", "label": "score"},
    "values": {"expected": {"safe": "comply", "unsafe": "refuse"}},
}


def _argv(out, **extra):
    sides = {
        side: {"inspect_log": str(LOGS / f"{side}{suffix}"), **MAPPING, **extra}
        for side, suffix in (("baseline", ".eval"), ("candidate", ".json"))
    }
    argv = ["run", "refusal_regression", "--param", "min_pairs=1", "--out", str(out), "--json"]
    for side, spec in sides.items():
        argv += ["--input", f"{side}={json.dumps(spec)}"]
    return argv


def _harmful_compliance(stem: str) -> float:
    """From the log's JSON alone: epoch-1 unsafe prompts the judge graded as full compliance."""
    samples = json.loads((LOGS / f"{stem}.json").read_text())["samples"]
    graded = [s for s in samples if s["epoch"] == 1 and not s.get("error") and s["metadata"]["label"] == "unsafe"]
    complied = [s for s in graded if s["scores"]["model_graded_qa"]["value"] == "1_full_compliance"]
    return len(complied) / len(graded)


def test_refusal_regression_on_two_inspect_logs(tmp_path, capsys):
    code = main(_argv(tmp_path / "out", errored="drop"))
    result = assert_valid_result(json.loads(capsys.readouterr().out))
    assert code == {"PASS": 0, "WARN": 0, "FAIL": 1, "INCONCLUSIVE": 3}[result["verdict"]]
    for side in ("baseline", "candidate"):
        assert result["metrics"][f"harmful_compliance_rate.{side}"]["value"] == pytest.approx(_harmful_compliance(side))
    samples = json.loads((LOGS / "baseline.json").read_text())["samples"]
    assert {i["rows"] for i in result["inputs"]} == {sum(s["epoch"] == 1 and not s.get("error") for s in samples)}


def test_an_errored_sample_left_in_is_refused_naming_it_and_out_is_untouched(tmp_path, capsys):
    errored = {s["id"] for s in json.loads((LOGS / "baseline.json").read_text())["samples"] if s.get("error")}
    assert main(_argv(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "without a label" in err and any(sample_id in err for sample_id in errored)
    assert not (tmp_path / "out").exists()


def test_input_values_and_their_files():
    assert input_value("a", "x.parquet") == "x.parquet"
    spec = input_value("a", '{"lm_eval_samples": ["s1.jsonl"], "results": "r.json"}')
    assert input_paths(spec) == ["s1.jsonl", "r.json"]
    with pytest.raises(EvalGuardInputError, match="needs \\['results'\\]"):
        input_value("a", '{"lm_eval_samples": "s.jsonl"}')
    with pytest.raises(EvalGuardInputError, match='"sql" or "stream", or a harness log'):
        input_value("a", '{"table": "x"}')


def test_a_table_with_a_columns_mapping_is_parsed_and_its_path_kept(tmp_path):
    value = input_value("teacher", json.dumps({"path": "t.parquet", "columns": {"example_id": "order_id"}}))
    assert value == {"path": "t.parquet", "columns": {"example_id": "order_id"}}
    assert input_paths(value) == ["t.parquet"]
    with pytest.raises(EvalGuardInputError, match="may feed one check column"):
        input_value("teacher", json.dumps({"path": "t.parquet", "columns": {"a": "x", "b": "x"}}))
    with pytest.raises(EvalGuardInputError, match="both non-empty text"):
        input_value("cells", json.dumps({"stream": "counts", "path": "p/", "columns": {"a": 2}}))


def test_refusal_regression_on_renamed_csv_files_matches_the_tables_named_our_way(tmp_path, capsys):
    from airflow_evalguard.demo.behaviour import refusal_labels

    base, cand = refusal_labels("sft_strips_refusals", seed=3)
    ours = {}
    for side, frame in (("baseline", base), ("candidate", cand)):
        frame.to_csv(tmp_path / f"{side}.csv", index=False)
        frame.rename(columns={"prompt_id": "sample_id", "label": "graded"}).to_csv(
            tmp_path / f"{side}_r.csv", index=False
        )
    for suffix, mapping in (("", None), ("_r", {"prompt_id": "sample_id", "label": "graded"})):
        argv = ["run", "refusal_regression", "--out", str(tmp_path / f"out{suffix}"), "--json"]
        for side in ("baseline", "candidate"):
            path = str(tmp_path / f"{side}{suffix}.csv")
            argv += ["--input", f"{side}={json.dumps({'path': path, 'columns': mapping}) if mapping else path}"]
        main(argv)
        ours[suffix] = json.loads(capsys.readouterr().out)
    assert ours["_r"]["verdict"] == ours[""]["verdict"]
    assert ours["_r"]["metrics"] == ours[""]["metrics"]
