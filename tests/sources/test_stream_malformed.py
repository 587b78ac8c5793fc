"""Streamed parquet: malformed files are input errors naming the path, wherever the reader meets
them (discovery or mid-scan); the environment failing stays a retryable error."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources import stream


@pytest.fixture
def good(tmp_path):
    frame = pd.DataFrame({"a": np.arange(50_000) % 7, "b": [f"x{i % 13}" for i in range(50_000)]})
    path = tmp_path / "good.parquet"
    frame.to_parquet(path)
    return path


def _count(path):
    return stream.counts(str(path), ["a", "b"])


def test_good_file_streams(good):
    assert _count(good)["count"].sum() == 50_000


@pytest.mark.parametrize("kind", ["zero_byte", "not_parquet", "truncated_footer"])
def test_broken_single_file(tmp_path, good, kind):
    content = {"zero_byte": b"", "not_parquet": b"PAR1 junk", "truncated_footer": good.read_bytes()[:-30]}[kind]
    path = tmp_path / "bad.parquet"
    path.write_bytes(content)
    with pytest.raises(EvalGuardInputError, match=f"{path}") as err:
        _count(path)
    assert "\n" not in str(err.value)


def test_corrupt_page_found_mid_scan(tmp_path, good):
    raw = bytearray(good.read_bytes())
    middle = len(raw) // 3
    raw[middle : middle + 200] = b"\xff" * 200  # the footer is intact: discovery succeeds, the scan fails
    path = tmp_path / "flipped.parquet"
    path.write_bytes(bytes(raw))
    with pytest.raises(EvalGuardInputError, match="cannot read"):
        _count(path)


def test_corrupt_second_file_of_a_directory(tmp_path, good):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "part-0.parquet").write_bytes(good.read_bytes())
    (folder / "part-1.parquet").write_bytes(b"PAR1 junk")
    with pytest.raises(EvalGuardInputError, match="part-1.parquet"):
        _count(folder)


def test_gzip_is_refused_with_a_clear_message(tmp_path, good):
    import gzip

    path = tmp_path / "good.parquet.gz"
    path.write_bytes(gzip.compress(good.read_bytes()))
    with pytest.raises(EvalGuardInputError, match="gzip-compressed"):
        _count(path)


def test_missing_path(tmp_path):
    with pytest.raises(EvalGuardInputError, match="no such"):
        _count(tmp_path / "nope.parquet")


@pytest.mark.parametrize(
    "error",
    [
        ConnectionError("reset"),
        PermissionError(13, "denied"),
        OSError("AWS Error NETWORK_CONNECTION during GetObject operation"),
    ],
)
def test_environment_errors_stay_retryable(good, monkeypatch, error):
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(stream.ds, "dataset", failing)
    with pytest.raises(type(error)) as err:
        _count(good)
    assert not isinstance(err.value, EvalGuardInputError)
