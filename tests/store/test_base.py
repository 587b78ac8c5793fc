import pytest

from airflow_evalguard.store import get_store, run_prefix, sanitize_key_part
from airflow_evalguard.store.local import LocalStore


def test_safe_parts_are_kept():
    assert sanitize_key_part("evalguard_demo") == "evalguard_demo"
    assert run_prefix("dag", "run-1", "task", 2) == "dag/run-1/task/try_2"


@pytest.mark.parametrize("run_id", ["manual__2026-11-25T09:14:26+00:00", "a b/c:d+e", "../../etc", ".", ".."])
def test_unsafe_run_ids_become_one_safe_component(run_id):
    part = sanitize_key_part(run_id)
    assert "/" not in part and ":" not in part and "+" not in part and " " not in part
    assert part not in (".", "..") and not part.startswith(".")


def test_distinct_run_ids_never_share_a_key():
    assert sanitize_key_part("a:b") != sanitize_key_part("a+b")
    assert sanitize_key_part("a:b") == sanitize_key_part("a:b")


def test_get_store_picks_by_uri(tmp_path):
    assert isinstance(get_store(str(tmp_path)), LocalStore)
    from airflow_evalguard.store.s3 import S3Store

    s3 = get_store("s3://bucket/some/prefix", aws_conn_id="x")
    assert isinstance(s3, S3Store) and s3.bucket == "bucket" and s3.prefix == "some/prefix"
    assert s3.uri("d/r/t/try_1/result.json") == "s3://bucket/some/prefix/d/r/t/try_1/result.json"
    with pytest.raises(ValueError):
        s3.uri("../escape")
