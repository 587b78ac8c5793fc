"""Read the members of an Inspect `.eval` log (a zip of JSON documents), bounded.

Inspect 0.3.285 compresses members with Zstandard (zip method 93), which Python's `zipfile`
reads only from 3.14 on; such members are decompressed here with pyarrow's zstd codec (already a
dependency), deflated or stored ones with `zipfile`. Every member is checked before it is
inflated: its declared size against the decompressed-size limit, the sum of the members read
against the same limit, and its compression ratio against `MAX_RATIO` (a zip bomb). The declared
size is also what the decompressor is held to, and the CRC-32 is verified after.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pyarrow as pa

from airflow_evalguard.harnesses.shared import refuse
from airflow_evalguard.settings import max_decompressed_bytes

ZSTD = 93
MAX_RATIO = 200  # JSON compresses ~5-30x; far beyond that is a crafted bomb, not a log
RATIO_FLOOR = 1 << 20  # tiny members may compress absurdly well (all-blank JSON): not worth refusing
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zip local file header, 30 bytes
_LOCAL_MAGIC = b"PK\x03\x04"


class EvalZip:
    """A `.eval` log's members, read one at a time under the limits above."""

    def __init__(self, data: bytes, where: str, input_name: str):
        self.where = where
        self.input_name = input_name
        self._data = data
        self._budget = max_decompressed_bytes()
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise self._refuse(f"is not a complete .eval log (a zip archive): {exc}; truncated or corrupt?") from None
        self.names = [info.filename for info in self._zip.infolist()]

    def _refuse(self, message: str):
        return refuse(self.where, message, self.input_name)

    def read(self, name: str) -> bytes:
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            raise self._refuse(f"has no member {name!r}") from None
        self._check_size(info)
        if info.compress_type == ZSTD:
            data = self._zstd(info)
        elif info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            try:
                data = self._zip.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
                raise self._refuse(f"member {name!r} is corrupt ({exc})") from None
        else:
            raise self._refuse(
                f"member {name!r} uses zip compression method {info.compress_type}; this reader knows "
                f"stored (0), deflate (8) and zstd ({ZSTD}) (install the `inspect` extra to read it with Inspect)"
            )
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            raise self._refuse(f"member {name!r} is corrupt (its size or CRC-32 does not match the zip directory)")
        return data

    def _check_size(self, info: zipfile.ZipInfo) -> None:
        if info.file_size > self._budget:
            raise self._refuse(
                f"member {info.filename!r} would expand to {info.file_size:,} bytes, beyond the "
                f"{max_decompressed_bytes():,} allowed in all ([evalguard] max_decompressed_bytes / "
                "EVALGUARD_MAX_DECOMPRESSED_BYTES)"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise self._refuse(
                f"member {info.filename!r} claims {info.file_size:,} bytes from {info.compress_size:,} "
                f"compressed (more than {MAX_RATIO}x): refused as a zip bomb"
            )
        self._budget -= info.file_size

    def _zstd(self, info: zipfile.ZipInfo) -> bytes:
        start = info.header_offset
        header = self._data[start : start + _LOCAL_HEADER.size]
        if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_MAGIC:
            raise self._refuse(f"member {info.filename!r} has no valid local header; truncated or corrupt?")
        fields = _LOCAL_HEADER.unpack(header)
        name_length, extra_length = fields[-2], fields[-1]
        begin = start + _LOCAL_HEADER.size + name_length + extra_length
        compressed = self._data[begin : begin + info.compress_size]
        if len(compressed) != info.compress_size:
            raise self._refuse(f"member {info.filename!r} is cut short; truncated?")
        try:
            # decompressed_size bounds the output buffer: a frame that expands further fails.
            return pa.Codec("zstd").decompress(compressed, decompressed_size=info.file_size).to_pybytes()
        except (pa.ArrowException, ValueError, OSError) as exc:  # in memory: an OSError is the data's
            raise self._refuse(f"member {info.filename!r} is not valid zstd data ({exc})") from None
