"""Reports from the store: the CLI's `evalguard report` and the run summary over a DAG run."""

import json

from airflow_evalguard.cli import main
from airflow_evalguard.publish.read import load_run
from airflow_evalguard.publish.summary import latest_results, summary_entries
from airflow_evalguard.report.render import render_summary
from airflow_evalguard.store import LocalStore
from tests.report.hostile import hostile_result, store_result


def test_latest_try_of_each_task(tmp_path):
    store = LocalStore(tmp_path)
    for task, tries in (("gate_a", 1), ("gate_b", 3)):
        for t in range(1, tries + 1):
            store_result(store, f"dag/run/{task}/try_{t}", hostile_result(), report=False)
    assert latest_results(store, "dag/run") == {
        ("gate_a", -1): (1, "dag/run/gate_a/try_1/result.json"),
        ("gate_b", -1): (3, "dag/run/gate_b/try_3/result.json"),
    }


def test_cli_renders_a_report_and_a_summary(tmp_path, capsys):
    store = LocalStore(tmp_path)
    store_result(store, "dag/run/gate_a/try_1", hostile_result(), report=False)
    store_result(store, "dag/run/gate_b/try_1", hostile_result())
    assert main(["report", str(tmp_path / "dag/run/gate_a/try_1")]) == 0
    assert (tmp_path / "dag/run/gate_a/try_1/report.html").is_file()
    assert main(["report", "--summary", str(tmp_path / "dag/run")]) == 0
    summary = (tmp_path / "dag/run/summary.html").read_text()
    assert "gate_a" in summary and 'href="gate_b/try_1/report.html"' in summary
    # links go only to reports the result lists (gate_a's result was stored without one)
    assert 'href="gate_a/try_1/report.html"' not in summary


def test_cli_report_errors_exit_2(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "no result.json" in capsys.readouterr().err
    (tmp_path / "result.json").write_text(json.dumps({"schema": "evalguard.result/v9"}))
    assert main(["report", str(tmp_path)]) == 2
    assert "newer EvalGuard" in capsys.readouterr().err


def test_each_map_index_is_its_own_entry_and_runs_do_not_mix(tmp_path):
    store = LocalStore(tmp_path)
    for i in range(3):
        store_result(store, f"dag/nightly-1/gate/map_{i}/try_1", hostile_result(), report=False)
    store_result(store, "dag/nightly-10/other/try_1", hostile_result(), report=False)
    entries = summary_entries(store, "dag/nightly-1")
    assert [(e["label"], e["map_index"], e["try_number"]) for e in entries] == [
        ("gate[0]", 0, 1),
        ("gate[1]", 1, 1),
        ("gate[2]", 2, 1),
    ]


def test_a_corrupt_result_is_listed_as_unreadable_and_the_rest_as_usual(tmp_path):
    store = LocalStore(tmp_path)
    for task in ("good", "bad_json", "bad_schema", "bad_verdict"):
        store_result(store, f"dag/run/{task}/try_1", hostile_result())
    (tmp_path / "dag/run/bad_json/try_1/result.json").write_text("{not json")
    (tmp_path / "dag/run/bad_schema/try_1/result.json").write_text(json.dumps({"schema": "other/v1"}))
    wrong = json.loads((tmp_path / "dag/run/good/try_1/result.json").read_text())
    (tmp_path / "dag/run/bad_verdict/try_1/result.json").write_text(json.dumps({**wrong, "verdict": "<b>"}))
    entries = {e["task_id"]: e for e in summary_entries(store, "dag/run")}
    assert entries["good"]["verdict"] == "FAIL" and entries["good"]["report_href"] == "good/try_1/report.html"
    for bad in ("bad_json", "bad_schema", "bad_verdict"):
        assert entries[bad]["verdict"] == "UNREADABLE" and entries[bad]["report_href"] is None
        assert str(tmp_path) not in entries[bad]["summary"]
    html = render_summary("dag / run", list(entries.values()))
    assert "FAIL · 4 gate(s)" in html and html.count(">UNREADABLE<") == 3


def test_a_try_without_result_json_shows_nothing(tmp_path):
    store = LocalStore(tmp_path)
    store.write_bytes("dag/run/gate/try_1/report.html", b"<html>never committed</html>")
    store.write_bytes("dag/run/gate/try_1/evidence.parquet", b"x")
    assert summary_entries(store, "dag/run") == []
    assert main(["report", str(tmp_path / "dag/run/gate/try_1")]) == 2
    assert main(["report", "--summary", str(tmp_path / "dag/run")]) == 2


def test_a_rerender_reads_only_the_files_its_result_lists(tmp_path):
    """A re-used folder: an earlier run's evidence.parquet is still there, the new result lists none."""
    import pandas as pd

    from airflow_evalguard.result import CheckResult
    from airflow_evalguard.verdicts import Verdict

    store = LocalStore(tmp_path)
    store_result(
        store,
        "dag/run/gate/try_1",
        CheckResult(check="x", verdict=Verdict.FAIL, summary="old", evidence=pd.DataFrame({"old_row": ["SECRET-OLD"]})),
    )
    store_result(store, "dag/run/gate/try_1", CheckResult(check="x", verdict=Verdict.PASS, summary="new"))
    assert (tmp_path / "dag/run/gate/try_1/evidence.parquet").is_file()  # left behind
    run = load_run(store, "dag/run/gate/try_1")
    assert run.evidence is None and run.evidence_note is None and run.result["summary"] == "new"
    assert main(["report", str(tmp_path / "dag/run/gate/try_1")]) == 0
    assert "SECRET-OLD" not in (tmp_path / "dag/run/gate/try_1/report.html").read_text()


def test_a_result_moved_to_another_gate_folder_is_refused(tmp_path):
    import shutil

    store = LocalStore(tmp_path)
    store_result(store, "dag/run/gate_a/try_1", hostile_result())
    shutil.copytree(tmp_path / "dag/run/gate_a", tmp_path / "dag/run/gate_b")
    entries = {e["task_id"]: e for e in summary_entries(store, "dag/run")}
    assert entries["gate_a"]["verdict"] == "FAIL"
    assert entries["gate_b"]["verdict"] == "UNREADABLE" and "another location" in entries["gate_b"]["summary"]
    # the folder itself, re-rendered on its own, is still readable (a copied try folder)
    assert load_run(LocalStore(tmp_path / "dag/run/gate_b/try_1"), "").result["verdict"] == "FAIL"
