"""The content hash a result records for an input read from a harness log.

A result whose input was a harness log names the log (its URI, several joined by ", ") and the
sha256 of its bytes, not `dataframe:<name>` and the hash of the table built from it: the hash is
then one anyone can check with `sha256sum` (`cat` the files in the order given when there are
several, e.g. lm-eval's samples files then its results file). Streamed, never held whole.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from airflow_evalguard.harnesses.shared import label, refuse
from airflow_evalguard.uri import is_s3

if TYPE_CHECKING:
    from airflow_evalguard.core.sources import InputReader

CHUNK = 1 << 22


def logs_sha256(reader: InputReader, uris: list[str], input_name: str) -> str:
    """sha256 of the bytes of `uris`, one after the other, read through the reader's filesystem."""
    digest = hashlib.sha256()
    for uri in uris:
        filesystem, path = reader.arrow_filesystem(uri)
        if filesystem is None:
            if not Path(path).is_file():
                raise refuse(label(input_name, uri), "no such file", input_name)
            with open(path, "rb") as stream:
                for block in iter(lambda: stream.read(CHUNK), b""):
                    digest.update(block)
            continue
        with filesystem.open_input_stream(path) as stream:
            for block in iter(lambda: stream.read(CHUNK), b""):
                digest.update(block)
    return digest.hexdigest()


def record_log(attrs: dict, uris: list[str], sha256: str) -> None:
    """What `io.fingerprint` and `io.table` read back for the result's input provenance."""
    named = [uri if is_s3(uri) else str(Path(uri).resolve()) for uri in uris]  # as io.table names a file
    attrs.update(log_uri=", ".join(named), log_sha256=sha256)
