"""Reports from the store: the CLI's `evalguard report` and the run summary over a DAG run."""

import json

from airflow_evalguard.cli import main
from airflow_evalguard.report.summary import latest_results
from airflow_evalguard.store import LocalStore
from airflow_evalguard.store.artifacts import write_artifacts
from tests.report.hostile import hostile_result


def test_latest_try_of_each_task(tmp_path):
    store = LocalStore(tmp_path)
    for task, tries in (("gate_a", 1), ("gate_b", 3)):
        for t in range(1, tries + 1):
            write_artifacts(store, f"dag/run/{task}/try_{t}", hostile_result(), report=False)
    assert latest_results(store, "dag/run") == {"gate_a": "dag/run/gate_a/try_1/result.json",
                                                 "gate_b": "dag/run/gate_b/try_3/result.json"}


def test_cli_renders_a_report_and_a_summary(tmp_path, capsys):
    store = LocalStore(tmp_path)
    write_artifacts(store, "dag/run/gate_a/try_1", hostile_result(), report=False)
    assert main(["report", str(tmp_path / "dag/run/gate_a/try_1")]) == 0
    assert (tmp_path / "dag/run/gate_a/try_1/report.html").is_file()
    assert main(["report", "--summary", str(tmp_path / "dag/run")]) == 0
    summary = (tmp_path / "dag/run/summary.html").read_text()
    assert "gate_a" in summary and 'href="gate_a/try_1/report.html"' in summary


def test_cli_report_errors_exit_2(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "no result.json" in capsys.readouterr().err
    (tmp_path / "result.json").write_text(json.dumps({"schema": "evalguard.result/v9"}))
    assert main(["report", str(tmp_path)]) == 2
    assert "newer EvalGuard" in capsys.readouterr().err
