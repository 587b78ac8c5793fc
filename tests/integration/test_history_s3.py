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
