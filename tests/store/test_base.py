import pytest

from airflow_evalguard.store import RunLayout, get_store
from airflow_evalguard.store.base import folder_prefix
from airflow_evalguard.store.local import LocalStore


def test_a_gate_try_folder():
    assert RunLayout.of_gate("dag", "run-1", "task", -1, 2).folder == "dag/run-1/task/try_2"
    assert RunLayout.of_gate("dag", "run-1", "task", 3, 2).folder == "dag/run-1/task/map_3/try_2"


def test_folder_prefix_ends_in_the_delimiter():
    assert folder_prefix("dag/nightly-1") == "dag/nightly-1/"
    assert folder_prefix("dag/nightly-1/") == "dag/nightly-1/"
    assert folder_prefix("") == ""


def test_get_store_picks_by_uri(tmp_path):
    assert isinstance(get_store(str(tmp_path)), LocalStore)
    from airflow_evalguard.store.s3 import S3Store

    s3 = get_store("s3://bucket/some/prefix", aws_conn_id="x")
    assert isinstance(s3, S3Store) and s3.bucket == "bucket" and s3.prefix == "some/prefix"
    assert s3.uri("d/r/t/try_1/result.json") == "s3://bucket/some/prefix/d/r/t/try_1/result.json"
    for key in ("../escape", "a/./b"):
        with pytest.raises(ValueError):
            s3.uri(key)
