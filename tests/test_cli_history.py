"""`evalguard history`: the table, --json, rebuild, and refusals with exit 2."""

import json

from airflow_evalguard.cli import main
from airflow_evalguard.store import LocalStore
from airflow_evalguard.store.history_keys import HISTORY_FOLDER
from tests.publish.history_helpers import gate_result, publish_gate


def stored(tmp_path):
    store = LocalStore(tmp_path)
    publish_gate(store, "dag", "run_1", "gate", gate_result("PASS", minutes=0))
    publish_gate(store, "dag", "run_2", "gate", gate_result("FAIL", ["SLICE_REGRESSION"], drop=0.09, minutes=60))
    publish_gate(store, "other", "run_9", "g2", gate_result(minutes=30))
    return store


def test_the_table_lists_newest_first_with_metric_interval_and_new_findings(tmp_path, capsys):
    stored(tmp_path)
    assert main(["history", str(tmp_path), "--dag", "dag"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["finished", "(UTC)", "dag"] and len(lines) == 3
    assert "run_2" in lines[1] and "FAIL" in lines[1] and "drop 0.09 [0.07, 0.11]" in lines[1]
    assert "SLICE_REGRESSION (new)" in lines[1] and "run_1" in lines[2] and "PASS" in lines[2]


def test_json_rows_and_the_gate_filter(tmp_path, capsys):
    stored(tmp_path)
    assert main(["history", str(tmp_path), "--gate", "g2", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["dag_id"], row["run_id"], row["label"], row["verdict"]) == ("other", "run_9", "g2", "PASS")


def test_rebuild_from_the_cli(tmp_path, capsys):
    store = stored(tmp_path)
    for key in store.list_keys(HISTORY_FOLDER):
        store.delete(key)
    assert main(["history", "rebuild", str(tmp_path)]) == 0
    assert "3 gate tries of 2 DAG(s)" in capsys.readouterr().out
    assert main(["history", str(tmp_path), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_refusals_exit_2_and_a_corrupt_record_is_counted(tmp_path, capsys):
    store = stored(tmp_path)
    assert main(["history", str(tmp_path), "--runs", "0"]) == 2
    assert main(["history", "a", "b", "c"]) == 2
    store.write_bytes(store.list_keys(HISTORY_FOLDER)[0], b"\x00garbage")
    assert main(["history", str(tmp_path)]) == 0
    assert "skipped 1 corrupt" in capsys.readouterr().err


def test_a_lagging_index_is_said_on_stderr_with_the_repair(tmp_path, capsys):
    from tests.publish.history_helpers import FailingIndexStore, publish_unindexed

    store = FailingIndexStore(tmp_path)
    publish_gate(store, "dag", "run_1", "gate", gate_result(minutes=0))
    assert main(["history", str(tmp_path)]) == 0
    assert "lags" not in capsys.readouterr().err
    publish_unindexed(store, "dag", "run_2", "gate", gate_result(minutes=60))
    assert main(["history", str(tmp_path), "--dag", "dag"]) == 0
    err = capsys.readouterr().err
    assert "lags behind the store" in err and "dag (1 of 2)" in err
    assert f"evalguard history rebuild {tmp_path}" in err
    assert main(["history", "rebuild", str(tmp_path)]) == 0 and main(["history", str(tmp_path)]) == 0
    assert "lags" not in capsys.readouterr().err
