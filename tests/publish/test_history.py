"""The history index as written on publish and read a page at a time (local store)."""

import logging
import threading

import pytest

from airflow_evalguard.publish import history_rebuild
from airflow_evalguard.publish.history import HistoryQuery, read_page
from airflow_evalguard.publish.history_view import gate_series
from airflow_evalguard.store import LocalStore, RunLayout
from airflow_evalguard.store.history_keys import HISTORY_FOLDER, LIVE, SEGMENT, live_key, parse_history_key, stamp_of
from tests.publish.history_helpers import START, gate_result, publish_gate, publish_runs


def run_ids(page):
    return [run.run_id for run in page.runs]


def test_publishing_a_gate_try_appends_one_record_and_the_cli_out_none(tmp_path):
    store = LocalStore(tmp_path)
    publish_gate(store, "dag", "r1", "gate", gate_result("FAIL", ["SLICE_REGRESSION"]), map_index=3, try_number=2)
    from airflow_evalguard.publish.artifacts import publish_result

    publish_result(LocalStore(tmp_path / "out"), RunLayout(""), gate_result(), report=False)
    assert len(store.list_keys(HISTORY_FOLDER)) == 1 and not (tmp_path / "out" / HISTORY_FOLDER).exists()
    (run,) = read_page(store, HistoryQuery()).runs
    record = run.gates[("gate", 3)]
    assert (record["verdict"], record["findings"], record["try_number"]) == ("FAIL", ["SLICE_REGRESSION"], 2)
    assert record["headline"]["warn_at"] == 0.02 and record["headline"]["fail_at"] == 0.05


def test_concurrent_publishers_lose_no_record_while_they_compact(tmp_path, monkeypatch):
    monkeypatch.setattr(history_rebuild, "COMPACT_AT", 10)  # compactions race with appends
    store = LocalStore(tmp_path)

    def worker(number):
        for i in range(15):
            publish_gate(store, "dag", f"run_{number}_{i}", "gate", gate_result(minutes=number * 100 + i))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    page = read_page(store, HistoryQuery(page_runs=500))
    assert sorted(run_ids(page)) == sorted(f"run_{n}_{i}" for n in range(8) for i in range(15))
    kinds = [parse_history_key(key).kind for key in store.list_keys(HISTORY_FOLDER)]
    assert kinds.count(SEGMENT) >= 1 and kinds.count(LIVE) < 10 + 8  # at most one round per worker left


def test_publishing_compacts_live_records_into_segments(tmp_path, monkeypatch):
    monkeypatch.setattr(history_rebuild, "COMPACT_AT", 25)
    store = LocalStore(tmp_path)
    publish_runs(store, runs=60)  # 120 gate tries
    kinds = [parse_history_key(key).kind for key in store.list_keys(HISTORY_FOLDER)]
    assert kinds.count(LIVE) < 25 and kinds.count(SEGMENT) == 120 // 25
    assert run_ids(read_page(store, HistoryQuery(page_runs=500))) == [f"run_{i:04d}" for i in reversed(range(60))]


def test_pages_walk_every_run_newest_first_exactly_once(tmp_path):
    store = LocalStore(tmp_path)
    publish_runs(store, runs=23)
    seen, before = [], None
    while True:
        page = read_page(store, HistoryQuery(page_runs=5, before=before))
        seen += run_ids(page)
        assert all(len(run.gates) == 2 for run in page.runs)  # no run is split across pages
        if page.next_before is None:
            break
        before = page.next_before
    assert seen == [f"run_{i:04d}" for i in reversed(range(23))]


def test_a_page_reads_a_bounded_number_of_objects_however_many_runs_are_stored(tmp_path, monkeypatch):
    monkeypatch.setattr(history_rebuild, "COMPACT_AT", 10**6)  # live records only
    reads = {}
    for runs in (40, 400):
        store = LocalStore(tmp_path / str(runs))
        publish_runs(store, runs=runs)
        counted = CountingStore(store)
        page = read_page(counted, HistoryQuery(page_runs=10))
        assert run_ids(page) == [f"run_{i:04d}" for i in reversed(range(runs - 10, runs))]
        reads[runs] = counted.reads
    # 11 runs of 2 gates, plus what lies within RUN_SPAN (one day: 24 hourly runs) of the oldest
    assert reads[40] == reads[400] <= 2 * (11 + 24) + 2


class CountingStore:
    def __init__(self, store):
        self.store, self.reads = store, 0

    def read_bytes(self, key):
        self.reads += 1
        return self.store.read_bytes(key)

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_filters_by_gate_check_and_dates(tmp_path):
    store = LocalStore(tmp_path)
    publish_runs(store, runs=6)
    publish_gate(store, "dag", "run_0002", "judge", gate_result(minutes=121, check="judge_drift"))
    assert run_ids(read_page(store, HistoryQuery(check="judge_drift"))) == ["run_0002"]
    only_b = read_page(store, HistoryQuery(task_id="gate_b"))
    assert all(set(run.gates) == {("gate_b", -1)} for run in only_b.runs) and len(only_b.runs) == 6
    window = HistoryQuery(since=stamp_of(START.replace(hour=2)), before=stamp_of(START.replace(hour=4)))
    assert run_ids(read_page(store, window)) == ["run_0003", "run_0002"]


def test_the_latest_try_of_each_gate_is_the_one_shown(tmp_path):
    store = LocalStore(tmp_path)
    publish_gate(store, "dag", "r", "gate", gate_result("FAIL", minutes=1), try_number=1)
    publish_gate(store, "dag", "r", "gate", gate_result("PASS", minutes=2), try_number=2)
    (run,) = read_page(store, HistoryQuery()).runs
    assert run.gates[("gate", -1)]["try_number"] == 2 and run.gates[("gate", -1)]["verdict"] == "PASS"


def test_corrupt_and_foreign_index_objects_are_skipped_and_counted(tmp_path):
    store = LocalStore(tmp_path)
    publish_runs(store, runs=3)
    stamp = stamp_of(START)
    store.write_bytes(live_key("dag", stamp, "0" * 16), b"{not json")
    store.write_bytes(live_key("dag", stamp, "1" * 16), b'{"v": 1, "verdict": NaN}')
    store.write_bytes(f"{HISTORY_FOLDER}/dag/live/readme.txt", b"foreign")
    # a valid record of another DAG placed in this DAG's folder is refused too
    other = LocalStore(tmp_path / "other")
    publish_gate(other, "other_dag", "r", "gate", gate_result(minutes=30))
    (foreign_key,) = other.list_keys(HISTORY_FOLDER)
    store.write_bytes(live_key("dag", foreign_key.rsplit("/", 1)[1][:23], "2" * 16), other.read_bytes(foreign_key))
    page = read_page(store, HistoryQuery())
    assert page.skipped == 4 and run_ids(page) == ["run_0002", "run_0001", "run_0000"]


def test_a_failed_index_write_keeps_the_result_and_says_how_to_repair(tmp_path, caplog):
    class NoIndex(LocalStore):
        def write_bytes(self, key, data):
            if key.startswith(HISTORY_FOLDER):
                raise OSError("disk full")
            return super().write_bytes(key, data)

    store = NoIndex(tmp_path)
    with caplog.at_level(logging.WARNING):
        published = publish_gate(store, "dag", "r", "gate", gate_result())
    assert published.artifacts["result"].endswith("result.json") and store.list_keys(HISTORY_FOLDER) == []
    assert "history rebuild" in caplog.text


def test_new_findings_are_marked_against_the_gates_previous_run(tmp_path):
    store = LocalStore(tmp_path)
    for i, codes in enumerate([["A"], ["A"], ["A", "B"], ["B", "C"]]):
        publish_gate(store, "dag", f"run_{i}", "gate", gate_result("WARN", codes, minutes=i * 60))
    page = read_page(store, HistoryQuery(page_runs=3))  # run_0 is before the page: run_1's baseline
    (series,) = gate_series(page)
    assert [p.new_findings for p in series.points] == [(), ("B",), ("C",)]
    (first,) = gate_series(read_page(store, HistoryQuery(page_runs=10)))
    assert first.points[0].new_findings == ()  # a gate's first run: nothing to be new against


@pytest.mark.parametrize("bad", [{"before": "yesterday"}, {"since": "2026-01-01"}, {"page_runs": 0}])
def test_a_malformed_query_is_refused(bad):
    with pytest.raises(ValueError):
        HistoryQuery(**bad)
