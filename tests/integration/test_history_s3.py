"""The history index on a real S3 server (SeaweedFS on 127.0.0.1): append, page, rebuild, corrupt objects."""

import pytest

from airflow_evalguard.cli import main
from airflow_evalguard.publish.history import HistoryQuery, read_page
from airflow_evalguard.publish.history_rebuild import rebuild_index
from airflow_evalguard.store import get_store
from airflow_evalguard.store.history_keys import HISTORY_FOLDER, live_key, stamp_of
from tests.publish.history_helpers import START, publish_runs

pytestmark = pytest.mark.integration


def test_history_on_s3_appends_pages_and_rebuilds(s3_server, bucket, capsys):
    store = get_store(f"s3://{bucket}/evalguard")
    publish_runs(store, dag_id="café", runs=7)
    keys = [o["Key"] for o in s3_server.client().list_objects_v2(Bucket=bucket, Prefix="evalguard/")["Contents"]]
    live = [k for k in keys if k.startswith(f"evalguard/{HISTORY_FOLDER}/caf!c3!a9/live/")]
    assert len(live) == 14
    first = read_page(store, HistoryQuery(dag_ids=frozenset(["café"]), page_runs=3))
    assert [r.run_id for r in first.runs] == ["run_0006", "run_0005", "run_0004"]
    second = read_page(store, HistoryQuery(dag_ids=frozenset(["café"]), page_runs=3, before=first.next_before))
    assert [r.run_id for r in second.runs] == ["run_0003", "run_0002", "run_0001"]

    store.write_bytes(live_key("café", stamp_of(START), "0" * 16), b"{not json")
    report = rebuild_index(store)
    assert (report.records, report.removed) == (14, 15)
    assert main(["history", f"s3://{bucket}/evalguard", "--runs", "2", "--json"]) == 0
    rows = capsys.readouterr().out
    assert rows.count('"run_id": "run_0006"') == 2 and rows.count('"run_id": "run_0005"') == 2
    (segment,) = store.list_keys(HISTORY_FOLDER)
    assert "/seg/" in segment


def test_s3_index_objects_are_read_several_at_once_through_the_client(s3_server, bucket):
    from airflow_evalguard.publish.history_read import PARALLEL_READS, object_reader

    store = get_store(f"s3://{bucket}/evalguard")
    store.write_bytes("evalguard.history/x/live/a.json", b"record")
    read, parallel = object_reader(store)
    assert (read("evalguard.history/x/live/a.json"), parallel) == (b"record", PARALLEL_READS)
    with pytest.raises(ValueError):
        read("../outside")


def test_s3_pages_list_live_records_a_window_at_a_time_and_match_the_local_pages(s3_server, bucket, tmp_path):
    from airflow_evalguard.publish.history_rebuild import compact_live
    from airflow_evalguard.store import LocalStore

    stores = {"s3": get_store(f"s3://{bucket}/evalguard"), "local": LocalStore(tmp_path)}
    for store in stores.values():  # 30 runs 17 hours apart: a month, a 40-day gap, 6 runs
        publish_runs(store, dag_id="dag", runs=30, gates=("g",), spacing=17 * 60)
        publish_runs(store, dag_id="dag", runs=6, gates=("g",), spacing=70 * 24 * 60)
        compact_live(store, "dag", at_least=8)  # the 8 oldest in a segment
        store.write_bytes(f"{HISTORY_FOLDER}/dag/live/20261101T000000000000Z-zz.json", b"foreign")

    def walk(store, page_runs):
        seen, before, skipped = [], None, []
        while True:
            page = read_page(store, HistoryQuery(dag_ids=frozenset(["dag"]), page_runs=page_runs, before=before))
            seen += [(run.run_id, run.at) for run in page.runs]
            skipped.append(page.skipped)
            if page.next_before is None:
                return seen, skipped
            before = page.next_before

    for page_runs in (4, 25):
        (s3_runs, s3_skipped), (local_runs, local_skipped) = (
            walk(stores["s3"], page_runs),
            walk(stores["local"], page_runs),
        )
        # the foreign name is counted on every local page (listed whole), on S3 once the walk reaches it
        assert s3_runs == local_runs and set(local_skipped) == {1} and s3_skipped[-1] == 1
    seen, _ = walk(stores["s3"], 7)
    # every record once: 30 + the 5 gate tries published again later (run_0000's again is the same key)
    assert seen == walk(stores["local"], 7)[0] and len(seen) == 35 and len(set(seen)) == 35
