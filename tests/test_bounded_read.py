import gzip
import io

import pytest

from airflow_evalguard.bounded_read import InputTooLargeError, open_checked
from airflow_evalguard.exceptions import EvalGuardInputError


def _read_in_small_pieces(data: bytes, *, gzipped=False, limit=None, piece=3):
    buffered = open_checked(io.BytesIO(data), label="input 'x'", gzipped=gzipped, text=True, limit=limit)
    out = b""
    while chunk := buffered.raw.read(piece):  # tiny unbuffered reads: characters split across them
        out += chunk
    return out


def test_multibyte_characters_split_across_reads_are_valid():
    text = ("ts,label\n" + "2026,café ünïcødé €\n" * 50).encode()
    assert _read_in_small_pieces(text) == text


@pytest.mark.parametrize("bad", [b"ok,caf\xe9,x\n", b"ok,\xc3", b"ok,\xc3abc\n", b"\xff\xfe"])
def test_invalid_utf8_is_refused_wherever_it_falls(bad):
    with pytest.raises(EvalGuardInputError, match="input 'x'.*UTF-8"):
        _read_in_small_pieces(b"header\n" + bad)


def test_nul_byte_is_refused_with_its_offset():
    with pytest.raises(EvalGuardInputError, match="NUL byte at offset 7"):
        _read_in_small_pieces(b"header\n\0rest")


def test_cap_counts_decompressed_bytes_not_compressed_ones():
    data = gzip.compress(b"a" * 10_000)
    assert len(_read_in_small_pieces(data, gzipped=True, limit=10_000, piece=4096)) == 10_000
    with pytest.raises(InputTooLargeError, match="more than 9,999 bytes"):
        _read_in_small_pieces(data, gzipped=True, limit=9_999, piece=4096)


def test_closing_closes_the_underlying_file():
    raw = io.BytesIO(gzip.compress(b"abc"))
    with open_checked(raw, label="input 'x'", gzipped=True, text=True, limit=10) as reader:
        assert reader.read() == b"abc"
    assert raw.closed
