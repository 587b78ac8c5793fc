"""S3HookReader: s3:// through the connection's hook (built once, only when S3 is read); local
paths as LocalReader reads them; a missing object is bad input, a failing server is not."""

from types import SimpleNamespace

import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.hooks import s3_reader
from airflow_evalguard.hooks.s3_reader import S3HookReader
from airflow_evalguard.sources.local_reader import NoSuchInput


class FakeHook:
    def __init__(self, objects, endpoint=None, fail=None):
        self.objects, self.fail, self.calls = objects, fail, []
        self.conn_region_name = "eu-west-1"
        self.conn_config = SimpleNamespace(endpoint_url=endpoint)

    def check_for_key(self, key, bucket_name):
        self.calls.append(("check", bucket_name, key))
        if self.fail:
            raise self.fail
        return (bucket_name, key) in self.objects

    def get_key(self, key, bucket_name):
        body = SimpleNamespace(read=lambda: self.objects[(bucket_name, key)])
        return SimpleNamespace(get=lambda: {"Body": body})

    def get_credentials(self):
        return SimpleNamespace(access_key="AK", secret_key="SK", token=None)


@pytest.fixture
def hooks(monkeypatch):
    made = []

    def fake(conn_id, **kwargs):
        made.append(conn_id)
        return kwargs.get("hook") or FakeHook({("b", "k/t.csv"): b"a\n1\n"}, endpoint="http://127.0.0.1:8333")

    monkeypatch.setattr(s3_reader, "s3_hook", fake)
    return made


def test_reads_an_object_through_the_connection_hook_built_once(hooks):
    reader = S3HookReader("warehouse")
    assert reader.read_bytes("s3://b/k/t.csv", input_name="sample") == b"a\n1\n"
    assert reader.read_bytes("s3://b/k/t.csv", input_name="sample") == b"a\n1\n"
    assert hooks == ["warehouse"]


def test_a_missing_object_is_bad_input_naming_the_input(hooks):
    with pytest.raises(NoSuchInput, match=r"input 'sample': no such S3 object: s3://b/nope.csv"):
        S3HookReader().read_bytes("s3://b/nope.csv", input_name="sample")


def test_a_failing_server_stays_an_environment_error(monkeypatch):
    monkeypatch.setattr(s3_reader, "s3_hook", lambda conn_id: FakeHook({}, fail=ConnectionError("down")))
    with pytest.raises(ConnectionError):
        S3HookReader().read_bytes("s3://b/k.csv", input_name="sample")


def test_local_paths_need_no_hook(tmp_path, hooks):
    (tmp_path / "t.csv").write_bytes(b"x\n")
    reader = S3HookReader()
    assert reader.read_bytes(str(tmp_path / "t.csv"), input_name="t") == b"x\n"
    assert reader.arrow_filesystem(str(tmp_path)) == (None, str(tmp_path))
    with pytest.raises(EvalGuardInputError, match="no such file"):
        reader.read_bytes(str(tmp_path / "missing.csv"), input_name="t")
    assert hooks == []


def test_arrow_filesystem_carries_the_connection_endpoint_and_region(hooks):
    filesystem, where = S3HookReader().arrow_filesystem("s3://b/exports/sample")
    assert where == "b/exports/sample"
    assert filesystem.region == "eu-west-1"
    assert type(filesystem).__name__ == "S3FileSystem"
