"""Reading index objects ahead of the page walk: order kept, a bounded window, early stop cancels."""

import threading
import time

import pytest

from airflow_evalguard.publish.history_read import object_reader, read_ahead
from airflow_evalguard.store import LocalStore


class SlowReads:
    """A read that takes a while and records how many run at once and which started."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running = self.most = 0
        self.started = []

    def __call__(self, item):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.started.append(item)
        time.sleep(0.01)
        with self.lock:
            self.running -= 1
        if item == "bad":
            raise OSError("gone")
        return item * 2


def test_reads_come_back_in_order_with_at_most_the_window_running():
    reads = SlowReads()
    assert list(read_ahead(list(range(40)), reads, 4)) == [i * 2 for i in range(40)]
    assert 1 < reads.most <= 4


def test_stopping_early_leaves_the_rest_unread():
    reads = SlowReads()
    walk = read_ahead(list(range(1000)), reads, 4)
    assert [next(walk) for _ in range(3)] == [0, 2, 4]
    walk.close()
    time.sleep(0.05)
    assert len(reads.started) <= 3 + 4  # what was consumed plus one window


def test_a_failed_read_raises_where_its_item_comes():
    walk = read_ahead([1, "bad", 3], SlowReads(), 3)
    assert next(walk) == 2
    with pytest.raises(OSError, match="gone"):
        next(walk)


def test_a_local_store_is_read_in_order_one_at_a_time(tmp_path):
    store = LocalStore(tmp_path)
    store.write_bytes("a/b.json", b"x")
    read, parallel = object_reader(store)
    assert (read("a/b.json"), parallel) == (b"x", 1)
