"""Hostile `.eval` containers: truncated, corrupt, a zip bomb, an unknown compression, too large."""

from __future__ import annotations

import io
import json
import zipfile
import zlib

import pytest

from airflow_evalguard.harnesses.inspect_zip import MAX_RATIO, EvalZip
from airflow_evalguard.harnesses.shared import HarnessLogError
from airflow_evalguard.settings import max_decompressed_bytes_set_to
from tests.conftest import DATA

REAL = (DATA / "harnesses" / "inspect" / "baseline.eval").read_bytes()


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_reads_the_zstd_members_inspect_wrote():
    container = EvalZip(REAL, "w", "b")
    header = json.loads(container.read("header.json"))
    assert header["version"] == 2
    # an independent decoder for the same member: the zip's own CRC-32 of the inflated bytes
    info = zipfile.ZipFile(io.BytesIO(REAL)).getinfo("header.json")
    assert info.compress_type == 93 and zlib.crc32(container.read("header.json")) == info.CRC


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_reads_stored_and_deflated_members(method):
    assert EvalZip(_zip({"a.json": b'{"x": 1}'}, method), "w", "b").read("a.json") == b'{"x": 1}'


@pytest.mark.parametrize("cut", [10, len(REAL) // 2, len(REAL) - 30])
def test_truncated_log_is_refused(cut):
    with pytest.raises(HarnessLogError, match=r"truncated|corrupt"):
        container = EvalZip(REAL[:cut], "w", "b")
        for name in container.names:
            container.read(name)


def test_flipped_bytes_in_a_zstd_member_are_refused():
    container = zipfile.ZipFile(io.BytesIO(REAL))
    info = container.getinfo("header.json")
    data = bytearray(REAL)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10
    data[start : start + 8] = b"\xff" * 8
    with pytest.raises(HarnessLogError, match=r"corrupt|not valid zstd"):
        EvalZip(bytes(data), "w", "b").read("header.json")


def test_a_zip_bomb_is_refused_before_inflating():
    bomb = _zip({"samples/1_epoch_1.json": b" " * (64 << 20)})
    info = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("samples/1_epoch_1.json")
    assert info.file_size > MAX_RATIO * info.compress_size  # the premise: far beyond JSON's ratio
    with pytest.raises(HarnessLogError, match="zip bomb"):
        EvalZip(bomb, "w", "b").read("samples/1_epoch_1.json")


def test_members_beyond_the_size_limit_are_refused():
    archive = _zip({"a.json": b"[" + b"1," * 5000 + b"1]", "b.json": b"[" + b"2," * 5000 + b"2]"})
    with max_decompressed_bytes_set_to(15_000):
        container = EvalZip(archive, "w", "b")
        container.read("a.json")
        with pytest.raises(HarnessLogError, match="beyond the 15,000 allowed"):
            container.read("b.json")  # the two together cross the limit


def test_an_unknown_compression_method_is_named():
    archive = bytearray(_zip({"a.json": b"{}"}, zipfile.ZIP_STORED))
    for offset in (archive.find(b"PK\x03\x04") + 8, archive.find(b"PK\x01\x02") + 10):
        archive[offset : offset + 2] = (14).to_bytes(2, "little")  # LZMA
    with pytest.raises(HarnessLogError, match="compression method 14"):
        EvalZip(bytes(archive), "w", "b").read("a.json")


def test_not_a_zip_is_refused():
    with pytest.raises(HarnessLogError, match="not a complete .eval log"):
        EvalZip(b"hello, I am not a zip", "w", "b")
