"""--out --overwrite empties only a directory that is recognisably an earlier EvalGuard output,
never through a symlink, never one holding something the run reads. Every directory here is
under tmp_path: no test touches a real system directory."""

import json
import os

import pytest

from airflow_evalguard.cli import main
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.out_dir import check_out_dir, empty_out_dir
from tests.cli_inputs import write_cli_inputs

RESULT = json.dumps({"schema": "evalguard.result/v1", "check": "sampling_window", "verdict": "PASS"})


def _earlier_output(folder):
    """What an EvalGuard run leaves: result.json (the marker), report.html, tables, and a temp file
    a crashed write left behind."""
    folder.mkdir(parents=True)
    (folder / "result.json").write_text(RESULT)
    (folder / "report.html").write_text("<html></html>")
    (folder / "evidence.parquet").write_bytes(b"PAR1")
    (folder / "weights.parquet").write_bytes(b"PAR1")
    (folder / ".result.json.0123456789abcdef.tmp").write_text("half written")
    return folder


def _snapshot(folder):
    return sorted((p.relative_to(folder).as_posix(), p.is_dir()) for p in folder.rglob("*"))


def test_an_earlier_output_is_emptied(tmp_path):
    out = _earlier_output(tmp_path / "out")
    target = check_out_dir(str(out), overwrite=True)
    empty_out_dir(target)
    assert target == out and list(out.iterdir()) == []


@pytest.fixture
def important(tmp_path):
    """Stands for /etc, a venv, a database folder: unrelated files and a sub-directory."""
    folder = tmp_path / "important"
    (folder / "sub").mkdir(parents=True)
    (folder / "db.sqlite").write_text("precious")
    (folder / "sub" / "passwd").write_text("root:x:0:0")
    return folder


def test_a_symlinked_out_is_refused(tmp_path, important):
    (tmp_path / "o9").symlink_to(important, target_is_directory=True)
    before = _snapshot(important)
    with pytest.raises(EvalGuardInputError, match="symlink"):
        check_out_dir(str(tmp_path / "o9"), overwrite=True)
    assert _snapshot(important) == before


def test_a_symlink_to_an_earlier_output_is_refused_too(tmp_path):
    real = _earlier_output(tmp_path / "real")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    with pytest.raises(EvalGuardInputError, match="symlink"):
        check_out_dir(str(tmp_path / "link"), overwrite=True)
    assert (real / "result.json").exists()


def test_an_out_below_a_symlinked_parent_is_refused(tmp_path):
    _earlier_output(tmp_path / "real" / "out")
    (tmp_path / "linked").symlink_to(tmp_path / "real", target_is_directory=True)
    with pytest.raises(EvalGuardInputError, match="symlink"):
        check_out_dir(str(tmp_path / "linked" / "out"), overwrite=True)
    assert (tmp_path / "real" / "out" / "result.json").exists()


def test_dot_dot_after_a_symlink_is_refused(tmp_path):
    """deep/../out reads as tmp/out but really is tmp/a/out when deep links to tmp/a/b."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    _earlier_output(tmp_path / "a" / "out")
    _earlier_output(tmp_path / "out")
    (tmp_path / "deep").symlink_to(tmp_path / "a" / "b", target_is_directory=True)
    with pytest.raises(EvalGuardInputError, match="symlink"):
        check_out_dir(str(tmp_path / "deep" / ".." / "out"), overwrite=True)
    assert (tmp_path / "a" / "out" / "result.json").exists() and (tmp_path / "out" / "result.json").exists()


def test_an_unrelated_directory_is_refused(important):
    before = _snapshot(important)
    with pytest.raises(EvalGuardInputError, match="not an EvalGuard output"):
        check_out_dir(str(important), overwrite=True)
    assert _snapshot(important) == before


@pytest.mark.parametrize(
    "spoil",
    [
        "no_result",
        "result_not_json",
        "result_other_schema",
        "result_schema_nested",
        "result_is_a_list",
        "extra_file",
        "extra_dir",
        "link_to_a_file",
        "result_is_a_link",
        "result_is_a_dir",
    ],
)
def test_an_almost_earlier_output_is_refused(tmp_path, important, spoil):
    out = _earlier_output(tmp_path / "out")
    result = out / "result.json"
    if spoil == "no_result":
        result.unlink()
    elif spoil == "result_not_json":
        result.write_text("previous")
    elif spoil == "result_other_schema":
        result.write_text(json.dumps({"schema": "something.else/v1"}))
    elif spoil == "result_schema_nested":
        result.write_text(json.dumps({"meta": {"schema": "evalguard.result/v1"}}))
    elif spoil == "result_is_a_list":
        result.write_text(json.dumps(["evalguard.result/v1"]))
    elif spoil == "extra_file":
        (out / "notes.txt").write_text("mine")
    elif spoil == "extra_dir":
        (out / "plots").mkdir()
    elif spoil == "link_to_a_file":
        os.symlink(important / "db.sqlite", out / "db.parquet")
    elif spoil == "result_is_a_link":
        (important / "result.json").write_text(RESULT)
        result.unlink()
        os.symlink(important / "result.json", result)
    elif spoil == "result_is_a_dir":
        result.unlink()
        result.mkdir()
    before, elsewhere = _snapshot(out), _snapshot(important)
    with pytest.raises(EvalGuardInputError, match="not an EvalGuard output"):
        check_out_dir(str(out), overwrite=True)
    assert _snapshot(out) == before and _snapshot(important) == elsewhere


def test_emptying_checks_again(tmp_path):
    """The check runs before the (long) run, the emptying after: what changed meanwhile counts."""
    out = _earlier_output(tmp_path / "out")
    target = check_out_dir(str(out), overwrite=True)
    (out / "notes.txt").write_text("written during the run")
    with pytest.raises(EvalGuardInputError, match="not an EvalGuard output"):
        empty_out_dir(target)
    assert (out / "notes.txt").exists() and (out / "result.json").exists()


@pytest.mark.parametrize("where", ["string", "in_list", "in_dict", "dict_key", "the_dir_itself"])
def test_a_param_naming_something_inside_out_protects_it(tmp_path, where):
    out = _earlier_output(tmp_path / "out")
    named = str(out / "weights.parquet")  # a file an EvalGuard output may hold, read by this run
    params = {
        "string": {"contract": named},
        "in_list": {"paths": ["x", named]},
        "in_dict": {"slo": {"a": {"b": named}}},
        "dict_key": {"slo": {named: 1}},
        "the_dir_itself": {"contract": str(out)},
    }[where]
    with pytest.raises(EvalGuardInputError, match="which this run reads"):
        check_out_dir(str(out), overwrite=True, params=params)
    assert (out / "weights.parquet").exists()


def test_params_naming_nothing_inside_out_do_not_protect(tmp_path, monkeypatch):
    out = _earlier_output(tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    params = {
        "timezone": "UTC",
        "missing": str(out / "gone.yaml"),
        "weird": "a\0b",
        "long": "x" * 10_000,
        "elsewhere": str(tmp_path),
    }
    assert check_out_dir(str(out), overwrite=True, params=params) == out


# -- through the CLI ------------------------------------------------------------------------------
@pytest.fixture
def files(tmp_path):
    return write_cli_inputs(tmp_path)


def _run(files, out, *extra):
    return main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={files / 'fair.csv'}",
            "--input",
            f"reference={files / 'ref.parquet'}",
            "--out",
            str(out),
            *extra,
        ]
    )


def test_cli_overwrite_replaces_a_real_earlier_output(files):
    out = files / "out"
    assert _run(files, out) == 0
    first = json.loads((out / "result.json").read_text())
    (out / ".report.html.0123456789abcdef.tmp").write_text("left by a crashed write")
    assert _run(files, out, "--overwrite", "--param", "alpha=0.01") == 0
    assert {p.name for p in out.iterdir()} == {"result.json", "evidence.parquet", "weights.parquet", "report.html"}
    second = json.loads((out / "result.json").read_text())
    assert first["params"]["alpha"] == 0.05 and second["params"]["alpha"] == 0.01


def test_cli_overwrite_through_a_symlink_exit_2(files, capsys, important):
    (files / "o9").symlink_to(important, target_is_directory=True)
    before = _snapshot(important)
    assert _run(files, files / "o9", "--overwrite") == 2
    err = capsys.readouterr().err
    assert "symlink" in err and err.count("\n") == 1
    assert _snapshot(important) == before


def test_cli_overwrite_of_an_unrelated_directory_exit_2(files, capsys, important):
    before = _snapshot(important)
    assert _run(files, important, "--overwrite") == 2
    err = capsys.readouterr().err
    assert "will not empty a directory that is not an EvalGuard output" in err and err.count("\n") == 1
    assert _snapshot(important) == before


def test_cli_overwrite_keeps_the_contract_the_run_reads(files, capsys):
    """--param contract=o7/c.yaml --out o7 --overwrite used to exit 0 and delete c.yaml."""
    from pathlib import Path

    contract = Path(__file__).resolve().parents[1] / "dags" / "contracts" / "escalate_to_human.yaml"
    from airflow_evalguard.demo import data_contracts

    data_contracts.tool_calls(None).to_parquet(files / "calls.parquet")
    out = files / "o7"
    args = ["run", "output_contract", "--input", f"records={files / 'calls.parquet'}", "--out", str(out)]
    assert main([*args, "--param", f"contract={contract}"]) == 0  # a real earlier output in o7
    (out / "c.yaml").write_bytes(contract.read_bytes())
    (out / "c.parquet").write_bytes(contract.read_bytes())  # a name an output may hold: the param still protects it
    for name in ("c.yaml", "c.parquet"):
        assert main([*args, "--param", f"contract={out / name}", "--overwrite"]) == 2
        assert "which this run reads" in capsys.readouterr().err
    assert (out / "c.yaml").read_bytes() == contract.read_bytes() and (out / "c.parquet").exists()
