"""Read an input's bytes through a guard that fails while reading, not after.

An 87 KB .csv.gz expands to 660 MB: the decompressed size is counted as it is produced and the
read stops with an input error as soon as it crosses the limit, so memory never holds more than
the limit plus one buffer. Text inputs (csv, jsonl) are also checked for NUL bytes and for valid
UTF-8 on the way through, which pandas does not do for columns it skips.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from typing import TYPE_CHECKING

from airflow_evalguard.exceptions import EvalGuardInputError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


class InputTooLargeError(EvalGuardInputError):
    """The decompressed input crossed the configured limit."""


def _gzip_content_error(exc: BaseException) -> bool:
    """A corrupt or truncated gzip stream, as opposed to the disk or network failing under it:
    gzip and zlib raise OSError without an errno (BadGzipFile), EOFError or zlib.error."""
    if isinstance(exc, (EOFError, zlib.error)):
        return True
    return isinstance(exc, OSError) and exc.errno is None and not isinstance(exc, (ConnectionError, TimeoutError))


class CheckedReader(io.RawIOBase):
    """A raw binary stream over `raw` that counts, caps and optionally validates what passes."""

    def __init__(
        self,
        raw: io.BufferedIOBase,
        *,
        label: str,
        input_name: str | None,
        limit: int | None,
        text: bool,
        gzipped: bool,
        underlying: io.BufferedIOBase | None = None,
    ):
        super().__init__()
        self._raw = raw
        self._underlying = underlying  # the file under a GzipFile, which GzipFile does not close
        self._label = label  # "input 'sample' (s3://b/k.csv.gz)": what every error names
        self._input_name = input_name
        self._limit = limit
        self._gzipped = gzipped
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict") if text else None
        self._seen = 0

    def readable(self) -> bool:
        return True

    def _error(self, message: str, cls: type[EvalGuardInputError] = EvalGuardInputError) -> EvalGuardInputError:
        return cls(f"{self._label}: {message}", input_name=self._input_name)

    def readinto(self, buffer: WriteableBuffer) -> int:
        try:
            count = self._raw.readinto(buffer)
        except Exception as exc:
            if self._gzipped and _gzip_content_error(exc):
                raise self._error(f"not a valid gzip file ({' '.join(str(exc).split())})") from None
            raise
        if not count:
            self._finish_text()
            return 0
        start = self._seen
        self._seen += count
        if self._limit is not None and self._seen > self._limit:
            raise self._error(
                f"expands to more than {self._limit:,} bytes when decompressed; refused "
                "(raise [evalguard] max_decompressed_bytes / EVALGUARD_MAX_DECOMPRESSED_BYTES "
                "if the file is genuine)",
                InputTooLargeError,
            )
        if self._decoder is not None:
            self._check_text(self._decoder, bytes(memoryview(buffer)[:count]), start)
        return count

    def _check_text(self, decoder: codecs.IncrementalDecoder, chunk: bytes, start: int) -> None:
        nul = chunk.find(b"\0")
        if nul >= 0:
            raise self._error(f"contains a NUL byte at offset {start + nul}; expected UTF-8 text")
        if chunk.isascii() and not decoder.getstate()[0]:
            return  # plain ASCII with no multi-byte character pending: valid, and ~50x cheaper to tell
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            offset = start + exc.start
            raise self._error(f"is not UTF-8 text (byte 0x{chunk[exc.start]:02x} at offset {offset})") from None

    def _finish_text(self) -> None:
        if self._decoder is None:
            return
        try:
            self._decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise self._error("is not UTF-8 text (it ends inside a multi-byte character)") from None

    def close(self) -> None:
        try:
            self._raw.close()
            if self._underlying is not None:
                self._underlying.close()
        finally:
            super().close()


def open_checked(
    raw: io.BufferedIOBase, *, label: str, input_name: str | None = None, gzipped: bool, text: bool, limit: int | None
) -> io.BufferedReader:
    """A buffered reader over `raw` (gunzipped when `gzipped`), capped at `limit` decompressed
    bytes when gzipped (None: no cap), and checked as UTF-8 text without NUL when `text`."""
    source: io.BufferedIOBase = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw
    reader = CheckedReader(
        source,
        label=label,
        input_name=input_name,
        limit=limit if gzipped else None,
        text=text,
        gzipped=gzipped,
        underlying=raw if gzipped else None,
    )
    return io.BufferedReader(reader, buffer_size=1 << 20)
