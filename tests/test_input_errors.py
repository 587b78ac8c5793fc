"""Malformed content (the user's input, not retried) versus the environment failing (retried)."""

import csv
import errno
import gzip
import zlib

import pyarrow as pa
import pytest

from airflow_evalguard.input_errors import describe_content_error, malformed_content


@pytest.mark.parametrize(
    "exc",
    [
        gzip.BadGzipFile("Not a gzipped file"),
        OSError("Couldn't deserialize thrift"),
        EOFError("truncated"),
        zlib.error("invalid stored block lengths"),
        csv.Error("line contains NUL"),
        ValueError("could not convert"),
        pa.ArrowInvalid("Parquet magic bytes not found"),
    ],
)
def test_malformed(exc):
    assert malformed_content(exc)


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionError("reset"),
        TimeoutError(),
        PermissionError(errno.EACCES, "denied"),
        FileNotFoundError(errno.ENOENT, "gone"),
        OSError(errno.EIO, "I/O error"),
        OSError("AWS Error NETWORK_CONNECTION during GetObject"),
        MemoryError(),
        pa.ArrowMemoryError("out of memory"),
        RuntimeError("anything else"),
    ],
)
def test_environment(exc):
    assert not malformed_content(exc)


def test_descriptions():
    class EmptyDataError(ValueError):  # pandas' name is all that is matched
        pass

    assert describe_content_error(EmptyDataError("No columns")) == "is empty (no header row)"
    assert describe_content_error(_utf8_error()) == "is not UTF-8 text (byte 0xff at offset 2)"
    assert describe_content_error(ValueError("bad\n   value")) == "cannot read: bad value"
    assert describe_content_error(EOFError()) == "cannot read: EOFError"
    long = describe_content_error(ValueError("x" * 400))
    assert long == "cannot read: " + "x" * 300 + "..."


def _utf8_error():
    try:
        b"ab\xff".decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc
    raise AssertionError("decoding must fail")
