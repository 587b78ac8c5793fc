"""Tell a malformed input file from an environment failure, by the exception a reader raised.

Malformed content (a corrupt parquet footer, bad gzip, a csv quoting error, an empty file) is
the user's input: retrying cannot help, so it becomes an EvalGuardInputError (exit 2, no Airflow
retry). The disk, the network or permissions failing underneath stay ordinary exceptions
(exit 4, retried). No third-party import here: this module is reachable from operator code.
"""

from __future__ import annotations

import csv
import sys
import zlib

# OSErrors that are the environment's, whatever the reader was doing.
_ENVIRONMENT = (
    ConnectionError,
    TimeoutError,
    PermissionError,
    FileNotFoundError,
    IsADirectoryError,
    BlockingIOError,
    InterruptedError,
)
_MAX_MESSAGE = 300


def _arrow_content_error(exc: BaseException) -> bool:
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is None or not isinstance(exc, pyarrow.ArrowException):
        return False
    # ArrowMemoryError and ArrowCancelled are the worker's, not the file's.
    return not isinstance(exc, (MemoryError, pyarrow.ArrowCancelled))


def malformed_content(exc: BaseException) -> bool:
    if isinstance(exc, (MemoryError, *_ENVIRONMENT)):
        return False
    if isinstance(exc, OSError):
        # The OS sets errno (EIO, ENOSPC, ...); readers that found bad bytes (gzip's BadGzipFile,
        # pyarrow's "Couldn't deserialize thrift") raise OSError without one. pyarrow's S3
        # filesystem also raises errno-less OSErrors, always tagged "AWS Error": the network's.
        return exc.errno is None and "AWS Error" not in str(exc)
    if _arrow_content_error(exc):
        return True
    return isinstance(exc, (ValueError, EOFError, zlib.error, csv.Error))


def describe_content_error(exc: BaseException) -> str:
    """One line: what is wrong with the file."""
    if type(exc).__name__ == "EmptyDataError":
        return "is empty (no header row)"
    if isinstance(exc, UnicodeDecodeError):
        return f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
    text = " ".join(str(exc).split()) or type(exc).__name__
    if len(text) > _MAX_MESSAGE:
        text = text[:_MAX_MESSAGE] + "..."
    return f"cannot read: {text}"
