"""The reports app keeps its store per configuration and thread: made once, again when it changes."""

import threading
import time

from airflow_evalguard.store import LocalStore
from airflow_evalguard.web import app as web_app
from airflow_evalguard.web.store_cache import StoreCache


class Maker:
    def __init__(self):
        self.made = []

    def __call__(self, root, aws_conn_id):
        time.sleep(0.01)  # long enough for racing threads to overlap
        self.made.append((root, aws_conn_id))
        return LocalStore(root)


def test_one_store_per_configuration_and_a_new_one_when_it_changes(tmp_path):
    maker = Maker()
    cache = StoreCache(maker)
    first = cache.get(str(tmp_path / "a"), "aws_default")
    assert cache.get(str(tmp_path / "a"), "aws_default") is first
    other_root = cache.get(str(tmp_path / "b"), "aws_default")
    other_conn = cache.get(str(tmp_path / "b"), "other_conn")
    assert other_root is not first and other_conn is not other_root and len(maker.made) == 3


def test_a_kept_store_is_made_again_after_its_time(tmp_path):
    maker = Maker()
    cache = StoreCache(maker, seconds=0.0)
    assert cache.get(str(tmp_path), None) is not cache.get(str(tmp_path), None) and len(maker.made) == 2


def test_each_thread_keeps_its_own_store(tmp_path):
    maker = Maker()
    cache = StoreCache(maker)
    got = []

    def ask_twice():
        first = cache.get(str(tmp_path), "c")
        got.append((first, cache.get(str(tmp_path), "c")))

    threads = [threading.Thread(target=ask_twice) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(first is again for first, again in got)  # kept within a thread
    assert len(maker.made) == 4 and len({id(first) for first, _ in got}) == 4  # not shared across


def test_the_app_reuses_its_store_until_the_artifact_root_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW__EVALGUARD__ARTIFACT_ROOT", str(tmp_path / "one"))
    first = web_app._store()
    assert web_app._store() is first
    monkeypatch.setenv("AIRFLOW__EVALGUARD__ARTIFACT_ROOT", str(tmp_path / "two"))
    assert web_app._store().root == str(tmp_path / "two")
