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


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_files_get_the_mode_the_umask_gives(tmp_path, umask, mode):
    import os
    import stat

    old = os.umask(umask)
    try:
        uri = LocalStore(tmp_path).write_bytes("d/r/t/try_1/result.json", b"{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(uri).st_mode) == mode


def test_listing_a_folder_never_lists_a_sibling_with_a_longer_name(tmp_path):
    store = LocalStore(tmp_path)
    for run in ("nightly-1", "nightly-10"):
        store.write_bytes(f"dag/{run}/t/try_1/result.json", b"{}")
    assert store.list_keys("dag/nightly-1") == ["dag/nightly-1/t/try_1/result.json"]
    assert store.list_keys("dag/nightly-1/") == ["dag/nightly-1/t/try_1/result.json"]
    assert len(store.list_keys("")) == 2 and store.list_keys("dag/nightly-") == []


def test_rewriting_a_folder_uncommits_it_first(tmp_path, monkeypatch):
    """A re-used prefix: while the new files replace the old ones, the old result.json is gone."""
    store = LocalStore(tmp_path)
    write_artifacts(store, "p", CheckResult(check="x", verdict=Verdict.PASS, summary="old",
                                            evidence=pd.DataFrame({"a": [1]})))
    seen = []
    real_write = LocalStore.write_bytes

    def spy(self, key, data):
        seen.append((key, self.exists("p/result.json")))
        return real_write(self, key, data)

    monkeypatch.setattr(LocalStore, "write_bytes", spy)
    write_artifacts(store, "p", CheckResult(check="x", verdict=Verdict.FAIL, summary="new",
                                            evidence=pd.DataFrame({"a": [2]})))
    assert [k for k, _ in seen] == ["p/evidence.parquet", "p/report.html", "p/result.json"]
    assert not any(committed for _, committed in seen)
    store.delete("p/nope.json")  # deleting what is not there is fine
