"""Finding stored results the history index misses (a failed index write), from names alone."""

from airflow_evalguard.publish import history_rebuild
from airflow_evalguard.publish.history import index_objects
from airflow_evalguard.publish.history_lag import LagCache, index_lag, lag_note
from airflow_evalguard.publish.history_rebuild import compact_live, rebuild_index
from tests.publish.history_helpers import FailingIndexStore, gate_result, publish_runs, publish_unindexed


def lag_of(store, dag_id="dag"):
    return index_lag(store, dag_id, index_objects(store, frozenset([dag_id]))[0])


def test_a_result_published_while_the_index_write_failed_is_found_and_a_rebuild_clears_it(tmp_path):
    store = FailingIndexStore(tmp_path)
    publish_runs(store, runs=3)
    publish_runs(store, dag_id="other", runs=1)
    assert lag_of(store).missing == 0 and lag_note([lag_of(store)]) is None
    publish_unindexed(store, "dag", "run_late", "gate_a", gate_result(minutes=500))
    publish_unindexed(store, "dag", "run_0001", "gate_a", gate_result(minutes=61), try_number=2)
    lag = lag_of(store)
    assert (lag.stored, lag.missing) == (8, 2)
    assert lag_note([lag, lag_of(store, "other")]) == (
        "stored gate results missing from the history index (DAG: missing of stored): dag (2 of 8)"
    )
    assert lag_of(store, "other").missing == 0  # another DAG's results are not this DAG's
    rebuild_index(store)
    assert (lag_of(store).stored, lag_of(store).missing) == (8, 0)


def test_with_segments_the_count_still_finds_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(history_rebuild, "COMPACT_AT", 10**6)
    store = FailingIndexStore(tmp_path)
    publish_runs(store, runs=4)
    assert compact_live(store, "dag", at_least=6) == 6  # 6 records in a segment, 2 still live
    assert lag_of(store).missing == 0
    publish_unindexed(store, "dag", "run_late", "gate_b", gate_result(minutes=900))
    assert lag_of(store).missing == 1


def test_the_pages_check_runs_in_the_background_and_is_kept_while_the_segments_are_the_same(tmp_path):
    store = FailingIndexStore(tmp_path)
    publish_runs(store, runs=2)
    cache = LagCache(seconds=600)
    assert cache.lag(store, "dag", ()) is None  # not known yet: the check has started
    cache.settle()
    assert cache.lag(store, "dag", ()).missing == 0
    publish_unindexed(store, "dag", "run_late", "gate_a", gate_result(minutes=500))
    assert cache.lag(store, "dag", ()).missing == 0  # kept: the same segments, not yet stale
    expired = LagCache(seconds=0)
    expired.lag(store, "dag", ())
    expired.settle()
    assert expired.lag(store, "dag", ()).missing == 1  # stale at once: the kept answer, checked again
    assert cache.lag(store, "dag", ("seg/after-a-rebuild",)) is None  # other segments: not kept
    cache.settle()
    assert cache.lag(store, "dag", ("seg/after-a-rebuild",)).missing == 1


def test_a_failed_check_flags_nothing_and_is_tried_again(tmp_path):
    class Unlistable(FailingIndexStore):
        def list_keys(self, prefix=""):
            raise OSError("listing refused")

    cache = LagCache()
    store = Unlistable(tmp_path)
    assert cache.lag(store, "dag", ()) is None
    cache.settle()
    assert cache.lag(store, "dag", ()) is None and lag_note([]) is None
