import pytest

from airflow_evalguard.store.local import LocalStore


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
