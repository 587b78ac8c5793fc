import json

import pandas as pd
import pytest

from airflow_evalguard.result import CheckResult
from airflow_evalguard.store.artifacts import write_artifacts
from airflow_evalguard.store.local import LocalStore
from airflow_evalguard.verdicts import Verdict


def test_write_read_overwrite_list(tmp_path):
    store = LocalStore(tmp_path)
    uri = store.write_bytes("d/r/t/try_1/result.json", b"one")
    assert uri == str(tmp_path / "d/r/t/try_1/result.json")
    store.write_bytes("d/r/t/try_1/result.json", b"two")  # a re-run of the same try overwrites
    assert store.read_bytes("d/r/t/try_1/result.json") == b"two"
    assert store.list_keys("d") == ["d/r/t/try_1/result.json"]
    assert not list(tmp_path.rglob("*.tmp"))


def test_keys_cannot_escape_the_root(tmp_path):
    with pytest.raises(ValueError, match="outside the store root"):
        LocalStore(tmp_path / "root").write_bytes("../outside.txt", b"x")


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    store = LocalStore(tmp_path)

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        store.write_bytes("a/result.json", b"x")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_write_artifacts_writes_result_last_with_all_uris(tmp_path):
    store = LocalStore(tmp_path)
    result = CheckResult(check="x", verdict=Verdict.PASS, summary="ok",
                         evidence=pd.DataFrame({"a": [1]}), tables={"weights": pd.DataFrame({"w": [1.0]})})
    artifacts = write_artifacts(store, "d/r/t/try_1", result)
    assert set(artifacts) == {"evidence", "weights", "report", "result"}
    stored = json.loads((tmp_path / "d/r/t/try_1/result.json").read_text())
    assert stored["artifacts"] == artifacts
    assert pd.read_parquet(artifacts["weights"])["w"].tolist() == [1.0]
