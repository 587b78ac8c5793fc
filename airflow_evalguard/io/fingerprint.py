"""The sha256 of an input for the result's fingerprint: a file's bytes, or a DataFrame's values."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def frame_sha256(frame: Any) -> str:
    """Column names and values (not the index); a table read from a harness log: the log's bytes'
    sha256 recorded when it was read (harnesses.provenance), which anyone can check."""
    recorded = getattr(frame, "attrs", {}).get("log_sha256")
    if isinstance(recorded, str) and len(recorded) == 64:
        return recorded
    digest = hashlib.sha256()
    digest.update(repr(list(frame.columns)).encode())
    try:
        digest.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
    except TypeError:  # unhashable cells (vectors in list columns): hash the Arrow IPC bytes
        sink = pa.BufferOutputStream()
        table = pa.Table.from_pandas(frame, preserve_index=False)
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        digest.update(sink.getvalue().to_pybytes())
    return digest.hexdigest()


class BackgroundHash:
    """Hash a local file on another core while the check reads and works on it: the fingerprint
    of a large input then costs no wall time (hashlib releases the GIL)."""

    def __init__(self, path: Path, name: str) -> None:
        self._sha256: str | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name=f"sha256-{name}", daemon=True)
        self._thread.start()

    def _run(self, path: Path) -> None:
        self._sha256 = file_sha256(path, 1 << 22)

    def result(self) -> str | None:
        """The digest, or None if the thread failed (the caller hashes again, and sees the error)."""
        self._thread.join()
        return self._sha256
