import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from airflow_evalguard.cli import main, parse_value
from tests.cli_inputs import write_cli_inputs
from tests.schema import assert_valid_result


@pytest.fixture
def files(tmp_path):
    return write_cli_inputs(tmp_path)


def test_parse_value():
    assert parse_value("0.3") == 0.3 and parse_value('["a","b"]') == ["a", "b"]
    assert parse_value("true") is True and parse_value("Europe/Berlin") == "Europe/Berlin"


def test_run_pass_writes_result_and_evidence(files, capsys):
    out = files / "out"
    code = main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={files / 'fair.csv'}",
            "--input",
            f"reference={files / 'ref.parquet'}",
            "--param",
            'dimensions=["region"]',
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert {p.name for p in out.iterdir()} == {"result.json", "evidence.parquet", "weights.parquet", "report.html"}
    assert assert_valid_result(json.loads((out / "result.json").read_text()))["verdict"] == "PASS"
    assert capsys.readouterr().out.startswith("PASS: ")


def test_run_fail_exit_1_and_json(files, capsys):
    code = main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={files / 'night.jsonl'}",
            "--input",
            f"reference={files / 'ref.parquet'}",
            "--out",
            str(files / "o"),
            "--json",
        ]
    )
    assert code == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "FAIL"


def test_run_inconclusive_exit_3(files):
    assert (
        main(
            [
                "run",
                "sampling_window",
                "--input",
                f"sample={files / 'tiny.parquet'}",
                "--input",
                f"reference={files / 'ref.parquet'}",
                "--out",
                str(files / "o"),
            ]
        )
        == 3
    )


def test_params_file_json_and_yaml(files):
    (files / "p.json").write_text(json.dumps({"dimensions": ["region"], "alpha": 0.01}))
    (files / "p.yaml").write_text("dimensions: [region]\nalpha: 0.01\n")
    for name in ("p.json", "p.yaml"):
        out = files / f"o_{name}"
        assert (
            main(
                [
                    "run",
                    "sampling_window",
                    "--input",
                    f"sample={files / 'fair.csv'}",
                    "--input",
                    f"reference={files / 'ref.parquet'}",
                    "--params-file",
                    str(files / name),
                    "--out",
                    str(out),
                ]
            )
            == 0
        )
        assert json.loads((out / "result.json").read_text())["params"]["alpha"] == 0.01


def test_bad_input_exit_2_one_line_and_out_untouched(files, capsys):
    out = files / "kept"
    out.mkdir()
    previous = json.dumps({"schema": "evalguard.result/v1", "verdict": "PASS"})
    (out / "result.json").write_text(previous)
    code = main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={files / 'fair.csv'}",
            "--input",
            f"reference={files / 'ref.parquet'}",
            "--param",
            "timestamp_column=when",
            "--out",
            str(out),
            "--overwrite",
        ]
    )  # even when allowed to replace them, a refused run leaves the files alone
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "input 'sample'" in err and "'when'" in err and "Traceback" not in err
    assert (out / "result.json").read_text() == previous and len(list(out.iterdir())) == 1


@pytest.mark.parametrize(
    "argv, message",
    [
        (["run", "sampling_window", "--out", "x"], "missing required input"),
        (["run", "sampling_window", "--input", "oops", "--out", "x"], "NAME=VALUE"),
        (
            [
                "run",
                "sampling_window",
                "--input",
                "sample=a.csv",
                "--input",
                "reference=b.csv",
                "--param",
                "nope=1",
                "--out",
                "x",
            ],
            "unknown param",
        ),
        (["frobnicate"], "invalid choice"),
        (["run", "refusal_regression", "--input", "cells={oops", "--out", "x"], "not valid JSON"),
        (["run", "refusal_regression", "--input", 'cells={"table": "x"}', "--out", "x"], '"sql" or "stream"'),
        (
            ["run", "refusal_regression", "--input", 'cells={"sql": "drop_all"}', "--out", "x"],
            "unknown sql aggregation",
        ),
    ],
)
def test_usage_errors_exit_2(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_list_and_console_script():
    proc = subprocess.run(
        [sys.executable, "-m", "airflow_evalguard.cli", "list", "--json"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    specs = json.loads(proc.stdout)
    by_name = {s["name"]: s for s in specs}
    assert set(by_name) == {
        "assignment_integrity",
        "embedding_drift",
        "feedback_provenance",
        "judge_drift",
        "labeler_agreement",
        "latency_tail",
        "output_contract",
        "refusal_regression",
        "rubric_drift",
        "sampling_window",
        "slice_retention",
    }
    assert by_name["sampling_window"]["params"]["warn_at"]["default"] == 0.1
    assert by_name["refusal_regression"]["params"]["harmful_fail_at"]["default"] == 0.05


def test_run_refusal_regression_and_slice_retention(tmp_path):
    from airflow_evalguard.demo.behaviour import distillation_grades, refusal_labels

    base, cand = refusal_labels("sft_strips_refusals")
    base.to_csv(tmp_path / "b.csv", index=False)
    cand.to_json(tmp_path / "c.jsonl", orient="records", lines=True)
    assert (
        main(
            [
                "run",
                "refusal_regression",
                "--input",
                f"baseline={tmp_path / 'b.csv'}",
                "--input",
                f"candidate={tmp_path / 'c.jsonl'}",
                "--out",
                str(tmp_path / "rr"),
            ]
        )
        == 1
    )
    teacher, student = distillation_grades(None)
    teacher.to_parquet(tmp_path / "t.parquet")
    student.to_parquet(tmp_path / "s.parquet")
    assert (
        main(
            [
                "run",
                "slice_retention",
                "--input",
                f"teacher={tmp_path / 't.parquet'}",
                "--input",
                f"student={tmp_path / 's.parquet'}",
                "--param",
                'slice_columns=["skill"]',
                "--out",
                str(tmp_path / "sr"),
            ]
        )
        == 0
    )
    assert assert_valid_result(json.loads((tmp_path / "sr" / "result.json").read_text()))["check"] == "slice_retention"


def test_run_with_an_aggregation_pushed_down_to_duckdb(tmp_path):
    """--input NAME='{"sql": ...}': the GROUP BY runs in DuckDB, the check gets the cells."""
    import duckdb

    from airflow_evalguard.demo.behaviour import refusal_labels

    base, cand = refusal_labels("sft_strips_refusals")
    db = tmp_path / "evals.duckdb"
    with duckdb.connect(str(db)) as con:
        con.register("b", base)
        con.register("c", cand)
        con.execute("CREATE TABLE baseline AS SELECT * FROM b")
        con.execute("CREATE TABLE candidate AS SELECT * FROM c")
    spec = json.dumps(
        {"sql": "refusal_cells", "database": str(db), "baseline_table": "baseline", "candidate_table": "candidate"}
    )
    assert main(["run", "refusal_regression", "--input", f"cells={spec}", "--out", str(tmp_path / "rr")]) == 1
    doc = json.loads((tmp_path / "rr" / "result.json").read_text())
    assert doc["params"]["input_form"] == "cells" and doc["verdict"] == "FAIL"


def test_run_experiment_integrity_checks(tmp_path):
    from airflow_evalguard.demo.experiments import prompt_experiment, retrieval_experiment

    prompt_experiment("assignment_leak").to_csv(tmp_path / "units.csv", index=False)
    assert (
        main(
            [
                "run",
                "assignment_integrity",
                "--input",
                f"units={tmp_path / 'units.csv'}",
                "--param",
                'assembler_inputs=["prompt_tokens"]',
                "--param",
                "n_perm=199",
                "--out",
                str(tmp_path / "ai"),
            ]
        )
        == 1
    )
    events, probe = retrieval_experiment(None)
    events.to_parquet(tmp_path / "events.parquet")
    probe.to_parquet(tmp_path / "probe.parquet")
    assert (
        main(
            [
                "run",
                "embedding_drift",
                "--input",
                f"events={tmp_path / 'events.parquet'}",
                "--input",
                f"probe={tmp_path / 'probe.parquet'}",
                "--out",
                str(tmp_path / "ed"),
            ]
        )
        == 0
    )


@pytest.mark.parametrize(
    "check, fault, expect",
    [
        ("judge_drift", None, 0),
        ("judge_drift", "judge_silently_updated", 1),
        ("rubric_drift", None, 0),
        ("rubric_drift", "rubric_two_axis_drift", 1),
        ("labeler_agreement", None, 0),
        ("labeler_agreement", "labelers_homogenize", 1),
    ],
)
def test_run_measurement_instrument_checks(tmp_path, check, fault, expect):
    from airflow_evalguard.demo import instruments

    if check == "judge_drift":
        scores, anchors = instruments.judge_records(fault)
        scores.to_parquet(tmp_path / "scores.parquet")
        anchors.to_csv(tmp_path / "anchors.csv", index=False)
        args = [
            "--input",
            f"scores={tmp_path / 'scores.parquet'}",
            "--input",
            f"anchors={tmp_path / 'anchors.csv'}",
            "--param",
            f"pinned_judge={instruments.PINNED_JUDGE}",
        ]
    elif check == "rubric_drift":
        instruments.rubric_ratings(fault).to_parquet(tmp_path / "ratings.parquet")
        args = ["--input", f"ratings={tmp_path / 'ratings.parquet'}", "--param", "n_boot=500"]
    else:
        labels, gold = instruments.labeler_batches(fault)
        labels.to_csv(tmp_path / "labels.csv", index=False)
        gold.to_csv(tmp_path / "gold.csv", index=False)
        args = [
            "--input",
            f"labels={tmp_path / 'labels.csv'}",
            "--input",
            f"gold={tmp_path / 'gold.csv'}",
            "--param",
            "level=ordinal",
            "--param",
            "n_boot=300",
        ]
    out = tmp_path / "out"
    assert main(["run", check, *args, "--out", str(out)]) == expect
    result = assert_valid_result(json.loads((out / "result.json").read_text()))
    assert result["check"] == check and result["verdict"] == ("PASS" if expect == 0 else "FAIL")


CONTRACT = Path(__file__).resolve().parents[1] / "dags" / "contracts" / "escalate_to_human.yaml"


def test_contract_validate_ok_json_and_round_trip(tmp_path, capsys):
    assert main(["contract", "validate", str(CONTRACT)]) == 0
    assert "OK: contract 'escalate_to_human' version 3" in capsys.readouterr().out
    assert main(["contract", "validate", str(CONTRACT), "--json"]) == 0
    suite = json.loads(capsys.readouterr().out)
    assert suite["name"] == "escalate_to_human" and len(suite["expectations"]) >= 20
    exported = tmp_path / "suite.json"  # the compiled GX suite is itself a valid contract input
    exported.write_text(json.dumps(suite))
    assert main(["contract", "validate", str(exported)]) == 0


@pytest.mark.parametrize(
    "text,message",
    [
        ("name: x\nversion: 1\nfields:\n  a: {type: strin}\n", "bad.yaml line 4 (fields.a.type)"),
        ("name: x\nversion: 1\nexpectations:\n  - type: expect_nothing_at_all\n", "unknown expectation"),
        ("name: [x\n", "not valid YAML"),
    ],
)
def test_contract_validate_bad_file_exit_2_one_line(tmp_path, capsys, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    assert main(["contract", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "check, fault, expect",
    [
        ("output_contract", None, 0),
        ("output_contract", "escalation_consumer_automated", 1),
        ("feedback_provenance", None, 0),
        ("feedback_provenance", "staging_feedback_in_training", 1),
    ],
)
def test_run_data_contract_checks(tmp_path, capsys, check, fault, expect):
    from airflow_evalguard.demo import data_contracts

    if check == "output_contract":
        data_contracts.tool_calls(fault).to_parquet(tmp_path / "calls.parquet")
        data_contracts.tool_calls(fault, run="baseline").to_csv(tmp_path / "base.csv", index=False)
        args = [
            "--input",
            f"records={tmp_path / 'calls.parquet'}",
            "--input",
            f"baseline={tmp_path / 'base.csv'}",
            "--param",
            f"contract={CONTRACT}",
        ]
    else:
        data_contracts.feedback_candidates(fault).to_parquet(tmp_path / "fb.parquet")
        args = [
            "--input",
            f"candidates={tmp_path / 'fb.parquet'}",
            "--param",
            'allowed_surfaces=["chat_widget", "mobile_app"]',
        ]
    out = tmp_path / "out"
    assert main(["run", check, *args, "--out", str(out), "--json"]) == expect
    printed = capsys.readouterr().out
    result = assert_valid_result(json.loads((out / "result.json").read_text()))
    assert result["check"] == check and result["verdict"] in (("PASS", "WARN") if expect == 0 else ("FAIL",))
    assert "@example.com" not in printed  # the feedback's e-mail addresses are never printed


@pytest.mark.parametrize("fault, expect", [(None, 0), ("cold_start_tail", 1), ("training_contention", 1)])
def test_run_latency_tail(tmp_path, fault, expect):
    from airflow_evalguard.demo import serving

    serving.requests(fault).to_parquet(tmp_path / "requests.parquet")
    serving.training_windows(fault).to_csv(tmp_path / "windows.csv", index=False)
    out = tmp_path / "out"
    rc = main(
        [
            "run",
            "latency_tail",
            "--input",
            f"requests={tmp_path / 'requests.parquet'}",
            "--input",
            f"training_windows={tmp_path / 'windows.csv'}",
            "--param",
            'slo_ms={"interactive": 2500}',
            "--param",
            "baseline_endpoint=base-8b",
            "--param",
            'protected_windows=["07:00-11:00"]',
            "--out",
            str(out),
        ]
    )
    assert rc == expect
    result = assert_valid_result(json.loads((out / "result.json").read_text()))
    assert result["check"] == "latency_tail" and (out / "evidence.parquet").is_file()


def _numeric_params():
    from airflow_evalguard.checks import check_names, get_check

    for check in check_names():
        for name, spec in get_check(check).params.items():
            if spec.type in (int, float):
                yield check, name


def _required_inputs(check, folder):
    from airflow_evalguard.checks import get_check

    # Never read: parameters are validated before any input is opened.
    return [
        arg
        for name, spec in get_check(check).inputs.items()
        if spec.required
        for arg in ("--input", f"{name}={folder / 'unread.csv'}")
    ]


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e999", "[0.1, NaN]"])
@pytest.mark.parametrize("check, name", list(_numeric_params()))
def test_non_finite_param_strings_exit_2(tmp_path, capsys, check, name, text):
    out = tmp_path / "out"
    code = main(["run", check, *_required_inputs(check, tmp_path), "--param", f"{name}={text}", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and f"param '{name}'" in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "name, text",
    [
        ("p.json", '{"alpha": NaN}'),
        ("p.json", '{"warn_at": Infinity}'),
        ("p.yaml", "alpha: .nan\n"),
        ("p.yaml", "fail_at: -.inf\n"),
        ("p.yaml", "dimensions: [region]\nwarn_at: 1.0e+999\n"),
    ],
)
def test_non_finite_in_params_file_exit_2(tmp_path, capsys, name, text):
    (tmp_path / name).write_text(text)
    out = tmp_path / "out"
    code = main(
        [
            "run",
            "sampling_window",
            *_required_inputs("sampling_window", tmp_path),
            "--params-file",
            str(tmp_path / name),
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "finite" in err and not out.exists()


# -- malformed files: exit 2, one line naming the input, no traceback, --out untouched ----------
from tests.malformed import TABLE_KINDS, gzip_bomb, npy_claiming_rows, write_kind  # noqa: E402


def _assert_refused_cleanly(code, capsys, out, *fragments):
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err
    assert not out.exists()


@pytest.mark.parametrize("kind", sorted(TABLE_KINDS))
def test_malformed_table_exit_2(files, capsys, kind):
    bad, out = write_kind(files, kind), files / "out"
    code = main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={bad}",
            "--input",
            f"reference={files / 'ref.parquet'}",
            "--out",
            str(out),
        ]
    )
    _assert_refused_cleanly(code, capsys, out, "input 'sample'", TABLE_KINDS[kind][2])


def test_npy_header_claiming_1e11_rows_exit_2(tmp_path, capsys):

    (tmp_path / "huge.npy").write_bytes(npy_claiming_rows(10**11))
    np.save(tmp_path / "ok.npy", np.ones((40, 8), dtype=np.float32))
    out = tmp_path / "out"
    code = main(
        [
            "run",
            "embedding_drift",
            "--input",
            f"probe_old={tmp_path / 'huge.npy'}",
            "--input",
            f"probe_new={tmp_path / 'ok.npy'}",
            "--out",
            str(out),
        ]
    )
    _assert_refused_cleanly(code, capsys, out, "input 'probe_old'", "header claims")


@pytest.mark.parametrize("how", ["flag", "env"])
def test_decompression_limit_exit_2(files, capsys, monkeypatch, how):
    (files / "bomb.csv.gz").write_bytes(gzip_bomb(20 << 20))
    out = files / "out"
    limit = ["--max-decompressed-bytes", str(1 << 20)] if how == "flag" else []
    if how == "env":
        monkeypatch.setenv("EVALGUARD_MAX_DECOMPRESSED_BYTES", str(1 << 20))
    code = main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={files / 'bomb.csv.gz'}",
            "--input",
            f"reference={files / 'ref.parquet'}",
            *limit,
            "--out",
            str(out),
        ]
    )
    _assert_refused_cleanly(code, capsys, out, "input 'sample'", "1,048,576 bytes when decompressed")


def test_bad_limit_flag_exit_2(files, capsys):
    assert main(["run", "sampling_window", "--max-decompressed-bytes", "-5", "--out", str(files / "o")]) == 2
    assert "--max-decompressed-bytes" in capsys.readouterr().err


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("p.json", b"{oops", "not valid JSON"),
        ("p.json", '{"timezone": "caf\xe9"}'.encode("latin-1"), "not UTF-8"),
        ("p.yaml", b"dimensions: [region\nalpha: 0.01\n", "not valid YAML"),
        ("p.yaml", "timezone: caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("p.yaml", b"!!python/object/apply:os.system ['echo pwned']\n", "not valid YAML"),
        ("p.yaml", b"dimensions: &dims [region]\nwarn_at: 0.1\nfail_at: *dims\n", "aliases"),
        ("p.json", b"[" * 60_000, "nested too deeply"),
        ("p.yaml", b"x: " + b"[" * 60_000, "nested too deeply"),
        ("p.yaml", b"", "expected a mapping"),
        ("p.json", b" " * (2 << 20), "larger than"),
    ],
)
def test_broken_params_file_exit_2(files, capsys, name, content, fragment):
    (files / name).write_bytes(content)
    out = files / "out"
    code = main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={files / 'fair.csv'}",
            "--input",
            f"reference={files / 'ref.parquet'}",
            "--params-file",
            str(files / name),
            "--out",
            str(out),
        ]
    )
    _assert_refused_cleanly(code, capsys, out, "--params-file", fragment)


# -- --out: never silently mixed with a previous run's files --------------------------------------
def _sampling_window(files, out, *extra):
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


@pytest.fixture
def previous_run(files):
    out = files / "previous"
    (out / "plots").mkdir(parents=True)
    (out / "result.json").write_text("previous")
    (out / "weights.parquet").write_text("stale, from another run")
    (out / "plots" / "old.png").write_text("x")
    return out


def test_non_empty_out_is_refused_without_overwrite(files, previous_run, capsys):
    before = sorted(p.relative_to(previous_run) for p in previous_run.rglob("*"))
    assert _sampling_window(files, previous_run) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and "--overwrite" in err and err.count("\n") == 1
    assert sorted(p.relative_to(previous_run) for p in previous_run.rglob("*")) == before
    assert (previous_run / "result.json").read_text() == "previous"


@pytest.fixture
def earlier_output(files):
    """What an earlier run (of another check) left: its result.json and tables."""
    out = files / "earlier"
    out.mkdir()
    (out / "result.json").write_text(json.dumps({"schema": "evalguard.result/v1", "check": "judge_drift"}))
    (out / "weights.parquet").write_text("stale, from another run")
    (out / "drift.parquet").write_text("a table this check does not write")
    return out


def test_overwrite_replaces_the_contents_only(files, earlier_output):
    assert _sampling_window(files, earlier_output, "--overwrite") == 0
    assert {p.name for p in earlier_output.iterdir()} == {
        "result.json",
        "evidence.parquet",
        "weights.parquet",
        "report.html",
    }
    assert json.loads((earlier_output / "result.json").read_text())["check"] == "sampling_window"


def test_overwrite_refuses_an_out_holding_a_link(files, capsys, earlier_output, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "precious.txt").write_text("keep me")
    (earlier_output / "link").symlink_to(elsewhere, target_is_directory=True)
    assert _sampling_window(files, earlier_output, "--overwrite") == 2
    assert "'link' is a symlink" in capsys.readouterr().err
    assert (elsewhere / "precious.txt").read_text() == "keep me" and (earlier_output / "drift.parquet").exists()


def test_empty_or_new_out_needs_no_overwrite(files):
    (files / "empty").mkdir()
    assert _sampling_window(files, files / "empty") == 0
    assert _sampling_window(files, files / "new" / "nested") == 0


@pytest.fixture
def never_empty(monkeypatch):
    def refuse(target):
        raise AssertionError(f"would have emptied {target}")

    monkeypatch.setattr("airflow_evalguard.out_dir.empty_out_dir", refuse)


@pytest.mark.parametrize("target", ["root", "home", "home_parent", "cwd", "cwd_parent"])
def test_overwrite_refuses_dangerous_targets(files, capsys, monkeypatch, never_empty, tmp_path_factory, target):
    home = tmp_path_factory.mktemp("home")
    (home / ".bashrc").write_text("x")
    monkeypatch.setenv("HOME", str(home))
    work = files / "work" / "here"
    work.mkdir(parents=True)
    (work / "notes.txt").write_text("x")
    monkeypatch.chdir(work)
    out = {
        "root": Path("/"),
        "home": Path("~"),
        "home_parent": home.parent,
        "cwd": Path("."),
        "cwd_parent": Path(".."),
    }[target]
    assert _sampling_window(files, out, "--overwrite") == 2
    assert "refusing to empty" in capsys.readouterr().err
    assert (home / ".bashrc").exists() and (work / "notes.txt").exists()


def test_overwrite_refuses_an_out_that_holds_an_input(files, capsys, never_empty):
    # files/ holds fair.csv and ref.parquet: emptying it would delete the inputs of this very run.
    assert _sampling_window(files, files, "--overwrite") == 2
    assert "which this run reads" in capsys.readouterr().err and (files / "fair.csv").exists()


def test_overwrite_refuses_an_out_that_holds_a_streamed_input(files, capsys, never_empty, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "fair.csv").write_bytes((files / "fair.csv").read_bytes())
    spec = json.dumps({"stream": "sampling_window_counts", "path": str(files / "ref.parquet")})
    code = main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={elsewhere / 'fair.csv'}",
            "--input",
            f"reference={spec}",
            "--out",
            str(files),
            "--overwrite",
        ]
    )
    assert code == 2 and "which this run reads" in capsys.readouterr().err


def test_out_that_is_a_file_is_refused(files, capsys):
    (files / "a_file").write_text("x")
    assert _sampling_window(files, files / "a_file", "--overwrite") == 2
    assert "not a directory" in capsys.readouterr().err and (files / "a_file").read_text() == "x"


def test_sql_external_access_flag_reaches_resolve_inputs(files, monkeypatch):
    import airflow_evalguard.sources.specs as specs

    seen = []
    real = specs.resolve_inputs

    def spy(inputs, reader=None, *, sql_external_access=False):
        seen.append(sql_external_access)
        return real(inputs, reader, sql_external_access=sql_external_access)

    monkeypatch.setattr(specs, "resolve_inputs", spy)
    assert _sampling_window(files, files / "o1") == 0
    assert _sampling_window(files, files / "o2", "--sql-external-access") == 0
    assert seen == [False, True]


def test_malformed_streamed_parquet_exit_2(files, capsys):
    raw = bytearray((files / "ref.parquet").read_bytes())
    raw[len(raw) // 3 : len(raw) // 3 + 200] = b"\xff" * 200  # footer intact: fails mid-scan
    (files / "flipped.parquet").write_bytes(bytes(raw))
    spec = json.dumps({"stream": "sampling_window_counts", "path": str(files / "flipped.parquet")})
    out = files / "out"
    code = main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={files / 'fair.csv'}",
            "--input",
            f"reference={spec}",
            "--out",
            str(out),
        ]
    )
    _assert_refused_cleanly(code, capsys, out, "flipped.parquet", "cannot read")


# -- huge integers: exit 2 naming the param, never an OverflowError or int-digit ValueError (exit 4) --
@pytest.mark.parametrize(
    "how, digits",
    [
        ("param", 400),
        ("param", 5000),
        ("json", 400),
        ("json", 5000),
        ("yaml", 400),
        ("yaml", 5000),
        ("yaml_list", 5000),
    ],
)
def test_huge_integer_param_exit_2_naming_it(files, capsys, how, digits):
    huge = "1" + "0" * digits
    if how == "param":
        source = ["--param", f"alpha={huge}"]
    else:
        name = "p.json" if how == "json" else "p.yaml"
        text = {
            "json": f'{{"alpha": {huge}}}',
            "yaml": f"alpha: {huge}\n",
            "yaml_list": f"dimensions: [region]\nwarn_at: 0.1\nalpha: [{huge}]\n",
        }[how]
        (files / name).write_text(text)
        source = ["--params-file", str(files / name)]
    out = files / "out"
    code = main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={files / 'fair.csv'}",
            "--input",
            f"reference={files / 'ref.parquet'}",
            *source,
            "--out",
            str(out),
        ]
    )
    _assert_refused_cleanly(code, capsys, out, "alpha")


def _run_with_params_file(files, name, text):
    (files / name).write_text(text)
    return main(
        [
            "run",
            "sampling_window",
            "--input",
            f"sample={files / 'fair.csv'}",
            "--input",
            f"reference={files / 'ref.parquet'}",
            "--params-file",
            str(files / name),
            "--out",
            str(files / "out"),
        ]
    )


@pytest.mark.parametrize("depth", [65, 20_000, 32_000])
def test_deeply_nested_yaml_params_file_is_refused_fast(files, capsys, depth):
    import time

    started = time.perf_counter()
    code = _run_with_params_file(files, "p.yaml", "x: " + "[" * depth + "]" * depth + "\n")
    elapsed = time.perf_counter() - started
    _assert_refused_cleanly(code, capsys, files / "out", "--params-file", "nested too deeply")
    assert elapsed < 2, f"{elapsed:.1f} s"  # was 87 s for 40,000 (the pure-Python alias pre-scan)


def test_params_file_over_64_kib_is_refused(files, capsys):
    code = _run_with_params_file(files, "p.yaml", "# padding\n" * 7000 + "alpha: 0.01\n")
    _assert_refused_cleanly(code, capsys, files / "out", "--params-file", "larger than 65,536 bytes")


def test_params_file_nested_64_deep_is_accepted_up_to_the_check(files, capsys):
    # 63 brackets inside the top-level mapping: a valid file; the check then refuses the unknown param
    assert _run_with_params_file(files, "p.yaml", "x: " + "[" * 63 + "]" * 63 + "\n") == 2
    assert "unknown param" in capsys.readouterr().err


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("p.json", '{"alpha": 0.5, "warn_at": 0.1, "alpha": 0.01}', "duplicate key 'alpha'"),
        ("p.json", '{"dimensions": ["region"], "slo": {"a": 1, "a": 2}}', "duplicate key 'a'"),
        ("p.yaml", "alpha: 0.5\nwarn_at: 0.1\nalpha: 0.01\n", "duplicate key 'alpha' at line 3"),
        ("p.yaml", "dimensions: [region]\nx: {a: 1, a: 2}\n", "duplicate key 'a'"),
        ("p.yaml", "alpha: 0.5\n<<: {alpha: 0.01}\n", "merge keys (<<)"),
    ],
)
def test_duplicate_keys_in_params_file_exit_2(files, capsys, name, text, message):
    code = _run_with_params_file(files, name, text)
    _assert_refused_cleanly(code, capsys, files / "out", "--params-file", message)


def test_duplicate_keys_in_a_param_value_exit_2(files, capsys):
    code = _sampling_window(files, files / "out", "--param", 'dimensions={"a": 1, "a": 2}')
    _assert_refused_cleanly(code, capsys, files / "out", "--param dimensions: duplicate key 'a'")


def test_yaml_sexagesimal_number_is_a_string_not_a_number(files, capsys):
    # YAML 1.1 reads 190:20:30 as 685230: a time typed where a number was meant must not become one
    code = _run_with_params_file(files, "p.yaml", "alpha: 190:20:30\n")
    _assert_refused_cleanly(code, capsys, files / "out", "param 'alpha' must be a number", "'190:20:30'")
    code = _run_with_params_file(files, "p.yaml", "warn_at: 1:30.5\n")
    _assert_refused_cleanly(code, capsys, files / "out", "param 'warn_at' must be a number", "'1:30.5'")


def test_yaml_times_reach_string_params_as_written(files):
    (files / "p.yaml").write_text("timezone: 10:30\n")
    from airflow_evalguard.params_file import load_params_file

    assert load_params_file(str(files / "p.yaml")) == {"timezone": "10:30"}


def test_contract_registry_is_read_before_and_written_after_the_check(tmp_path, capsys):
    """The CLI runs registries.before_check/after_check around the check, as the operator does."""
    import pandas as pd

    records = tmp_path / "r.csv"
    pd.DataFrame({"tool": ["answer", "answer"]}).to_csv(records, index=False)
    contract = tmp_path / "c.yaml"

    def run(version, out):
        contract.write_text(f"name: calls\nversion: {version}\nfields:\n  tool:\n    required: true\n")
        return main(
            [
                "run",
                "output_contract",
                "--input",
                f"records={records}",
                "--param",
                f"contract={contract}",
                "--param",
                f"contract_registry={tmp_path / 'registry'}",
                "--out",
                str(tmp_path / out),
            ]
        )

    assert run(3, "o1") == 0
    assert json.loads((tmp_path / "registry" / "_contracts" / "calls.json").read_text())["version"] == 3
    capsys.readouterr()
    assert run(2, "o2") == 2
    assert "version 2 is lower than version 3" in capsys.readouterr().err
