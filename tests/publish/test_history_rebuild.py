"""`history rebuild`: the index made again from the stored results, in segments."""

import json

from airflow_evalguard.publish import history_rebuild
from airflow_evalguard.publish.history import HistoryQuery, read_page
from airflow_evalguard.publish.history_rebuild import rebuild_index
from airflow_evalguard.store import LocalStore, RunLayout
from airflow_evalguard.store.history_keys import HISTORY_FOLDER, SEGMENT, parse_history_key
from tests.publish.history_helpers import gate_result, publish_gate, publish_runs


def all_records(store):
    page = read_page(store, HistoryQuery(page_runs=500))
    return {record["token"]: record for run in page.runs for record in run.gates.values()}


def test_rebuild_writes_the_records_publishing_wrote_and_removes_the_live_objects(tmp_path, monkeypatch):
    monkeypatch.setattr(history_rebuild, "SEGMENT_RECORDS", 4)
    store = LocalStore(tmp_path)
    publish_runs(store, dag_id="dag", runs=5)
    publish_runs(store, dag_id="other", runs=2, gates=("g",))
    written = all_records(store)
    report = rebuild_index(store)
    assert (report.records, report.removed, report.dags, report.unreadable) == (12, 12, {"dag", "other"}, [])
    objects = [parse_history_key(k) for k in store.list_keys(HISTORY_FOLDER)]
    assert {o.kind for o in objects} == {SEGMENT} and report.segments == len(objects) == 3 + 1
    assert all_records(store) == written


def test_rebuild_repairs_an_index_that_lags_and_counts_unreadable_results(tmp_path):
    store = LocalStore(tmp_path)
    publish_runs(store, runs=3)
    for key in store.list_keys(HISTORY_FOLDER)[:2]:  # as if two index writes had failed
        store.delete(key)
    broken = RunLayout.of_gate("dag", "run_x", "gate", -1, 1)
    store.write_bytes(broken.result_key, b"{broken")
    assert len(all_records(store)) == 4
    report = rebuild_index(store)
    assert len(all_records(store)) == 6 and report.unreadable == [broken.result_key]


def test_rebuild_twice_and_a_live_record_also_in_a_segment_show_once(tmp_path):
    store = LocalStore(tmp_path)
    publish_runs(store, runs=2)
    rebuild_index(store)
    rebuild_index(store)
    publish_gate(store, "dag", "run_0001", "gate_a", gate_result(minutes=60))  # the same try again
    records = all_records(store)
    assert len(records) == 4 and len(read_page(store, HistoryQuery()).runs) == 2
    segment = next(k for k in store.list_keys(HISTORY_FOLDER) if "/seg/" in k)
    lines = store.read_bytes(segment).decode().splitlines()
    assert [json.loads(line)["at"] for line in lines] == sorted((json.loads(x)["at"] for x in lines), reverse=True)
