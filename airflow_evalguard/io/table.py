"""Read an input table (parquet, csv, jsonl; local path or s3://) into pandas, columns pruned.

s3:// objects are read through the reader the shell hands in (core.sources.InputReader); this
module holds no connection. Not imported when a DAG file is parsed (run_check imports it).
"""

from __future__ import annotations

import contextlib
import hashlib
import io as _io
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from airflow_evalguard.bounded_read import open_checked
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.input_errors import describe_content_error, malformed_content
from airflow_evalguard.io.fingerprint import BackgroundHash, file_sha256, frame_sha256
from airflow_evalguard.io.formats import detect_format, missing_columns, refuse_duplicate_columns
from airflow_evalguard.npy_header import check_npy_header
from airflow_evalguard.result import InputFingerprint
from airflow_evalguard.settings import max_decompressed_bytes
from airflow_evalguard.sources.local_reader import LocalReader
from airflow_evalguard.uri import is_s3

if TYPE_CHECKING:
    from airflow_evalguard.core.sources import InputReader

log = logging.getLogger(__name__)


class TableInput:
    """One named input of a check: a DataFrame, or a path/URI read on demand.

    Checks ask for the columns they need (`read(columns=...)`), so a wide parquet file is read
    column-pruned. The raw bytes of a file are hashed once for the result's input fingerprint.
    """

    def __init__(self, name: str, source: Any, reader: InputReader | None = None):
        self.name = name
        self.source = source
        self.reader: InputReader = reader if reader is not None else LocalReader()
        self._blob: bytes | None = None
        self._sha256: str | None = None
        self._jsonl: pd.DataFrame | None = None  # parsed JSON-lines frame, see _read_file
        self._decompressed: bytes | None = None  # a gunzipped binary (parquet) input, read once
        self.rows: int | None = None
        self._hashing: BackgroundHash | None = None  # hashing a local file while it is being read
        self.column_params: dict[str, str] = {}  # column -> the check parameter naming it (run_check sets it)

    @property
    def is_frame(self) -> bool:
        return not isinstance(self.source, (str, os.PathLike))

    @property
    def uri(self) -> str:
        if self.is_frame:  # a table read from a harness log names the log (harnesses.provenance)
            return getattr(self.source, "attrs", {}).get("log_uri") or f"dataframe:{self.name}"
        src = str(self.source)
        return src if is_s3(src) else str(Path(src).resolve())

    # -- raw bytes -----------------------------------------------------------------------------
    def _local_path(self) -> Path:
        path = Path(str(self.source))
        if not path.is_file():
            raise EvalGuardInputError(f"input '{self.name}': no such file: {self.source}", input_name=self.name)
        return path

    def _s3_bytes(self) -> bytes:
        if self._blob is None:
            # The reader the shell handed in refuses a missing object as bad input and lets the
            # network or credentials failing propagate (retryable).
            self._blob = self.reader.read_bytes(str(self.source), input_name=self.name)
        return self._blob

    @property
    def _gzipped(self) -> bool:
        return str(self.source).lower().endswith(".gz")

    _label = property(lambda self: f"input '{self.name}' ({self.source})")

    def _raw_bytes(self):
        """The file's bytes as stored (still compressed): a local file or the downloaded object.
        Errors here are the environment's (network, permissions) and stay retryable."""
        if is_s3(str(self.source)):
            return _io.BytesIO(self._s3_bytes())
        return open(self._local_path(), "rb")

    def _text_stream(self):
        """csv/jsonl bytes, gunzipped under the size cap and checked as UTF-8 without NUL bytes."""
        return open_checked(
            self._raw_bytes(),
            label=self._label,
            input_name=self.name,
            gzipped=self._gzipped,
            text=True,
            limit=self._limit(),
        )

    def _limit(self) -> int | None:
        if not self._gzipped:
            return None
        return max_decompressed_bytes()

    def _binary_source(self):
        """What pyarrow/numpy read: a local path (memory-mapped, column-pruned reads), the
        downloaded bytes, or the gunzipped bytes (decompressed once, under the size cap)."""
        if self._gzipped:
            if self._decompressed is None:
                with open_checked(
                    self._raw_bytes(),
                    label=self._label,
                    input_name=self.name,
                    gzipped=True,
                    text=False,
                    limit=self._limit(),
                ) as reader:
                    self._decompressed = reader.read()
            return _io.BytesIO(self._decompressed)
        if is_s3(str(self.source)):
            return _io.BytesIO(self._s3_bytes())
        return self._local_path()

    @contextlib.contextmanager
    def _content_errors(self):
        """Malformed content is bad input (exit 2, no retry), one line naming the input; the
        disk or the network failing underneath stays an environment error (retryable)."""
        try:
            yield
        except EvalGuardInputError:
            raise
        except Exception as exc:
            if not malformed_content(exc):
                raise
            raise EvalGuardInputError(f"{self._label}: {describe_content_error(exc)}", input_name=self.name) from exc

    # -- reading -------------------------------------------------------------------------------
    def columns(self) -> list[str]:
        """Column names without reading the data where the format allows it. Two columns with
        one name are refused: pandas would rename the second (`correct.1`) and a check would
        silently read whichever came first."""
        return self._refuse_duplicate_columns(self._column_names())

    def _column_names(self) -> list[str]:
        if self.is_frame:
            return [str(c) for c in self.source.columns]
        fmt = detect_format(str(self.source), self.name)
        if fmt == "parquet":
            source = self._binary_source()
            with self._content_errors():
                return list(pq.read_schema(source).names)
        if fmt == "csv":
            # header=None: the header line as it is written (with a header, pandas renames repeats).
            with self._text_stream() as stream, self._content_errors():
                header = pd.read_csv(stream, nrows=1, header=None, dtype=str, keep_default_na=False)
            return [str(c) for c in header.iloc[0].tolist()] if len(header) else []
        return [str(c) for c in self._read_file(None).columns]

    def _refuse_duplicate_columns(self, names: list[str]) -> list[str]:
        return refuse_duplicate_columns(self.name, names)

    def require(self, columns: list[str]) -> None:
        available = self.columns()
        missing = [c for c in columns if c not in available]
        if missing:
            raise EvalGuardInputError(
                f"input '{self.name}': {missing_columns(missing, self.column_params)}; it has {available[:20]}",
                input_name=self.name,
                column=missing[0],
            )

    def read(self, columns: list[str] | None = None, *, categorical_strings: bool = True) -> pd.DataFrame:
        """The input as pandas. `categorical_strings=False` keeps parquet strings as strings: a
        check that writes rows back out (feedback_provenance) must keep the input's dtypes and
        must not carry a dictionary of every value in the file into its outputs."""
        if columns is not None:
            self.require(columns)
        else:
            self.columns()  # refuses repeated column names before any data is read
        t0 = time.perf_counter()
        if self.is_frame:
            if not isinstance(self.source, pd.DataFrame):
                raise EvalGuardInputError(
                    f"input '{self.name}': expected a path, s3:// URI or pandas DataFrame, "
                    f"got {type(self.source).__name__}",
                    input_name=self.name,
                )
            df = self.source if columns is None else self.source[columns]
        else:
            df = self._read_file(columns, categorical_strings=categorical_strings)
        self.rows = len(df)
        if not self.is_frame:
            log.info(
                "read input '%s' from %s: %d rows, columns %s, in %.2f s",
                self.name,
                self.uri,
                len(df),
                list(df.columns),
                time.perf_counter() - t0,
            )
        return df

    def _read_file(self, columns: list[str] | None, *, categorical_strings: bool = True) -> pd.DataFrame:
        fmt = detect_format(str(self.source), self.name)
        if fmt == "parquet":
            source = self._binary_source()
            with self._content_errors():
                # Strings come back as pandas categoricals: cheap to count, ~10x less memory.
                table = pq.read_table(source, columns=columns)
                return table.to_pandas(strings_to_categorical=categorical_strings)
        if fmt == "csv":
            with self._text_stream() as stream, self._content_errors():
                return pd.read_csv(stream, usecols=columns)
        # JSON lines cannot be read column-pruned: parse once, and reuse the frame when the
        # column check (columns()) and the read itself both need it.
        if self._jsonl is None:
            with self._text_stream() as stream, self._content_errors():
                self._jsonl = pd.read_json(stream, lines=True)
        return self._jsonl if columns is None else self._jsonl[columns]

    def read_arrow(self, columns: list[str]):
        """The columns as a pyarrow Table: parquet is read without going through pandas (strings
        stay dictionary-encoded), which is what a check over tens of millions of rows needs."""
        self.require(columns)
        self._hash_in_background()
        t0 = time.perf_counter()
        if not self.is_frame and detect_format(str(self.source), self.name) == "parquet":
            source = self._binary_source()
            with self._content_errors():
                table = pq.read_table(source, columns=columns, read_dictionary=None)
            self.rows = table.num_rows
            log.info(
                "read input '%s' from %s: %d rows, columns %s, in %.2f s (arrow)",
                self.name,
                self.uri,
                table.num_rows,
                columns,
                time.perf_counter() - t0,
            )
            return table
        frame = self.read(columns)
        try:
            return pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowException, TypeError, ValueError):
            # Mixed-type object columns: hand them over as text; the check validates the values.
            return pa.Table.from_pandas(
                frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object}), preserve_index=False
            )

    def read_array(self):
        """A 2-D float32 array from a `.npy` file (never unpickled: allow_pickle=False)."""
        if not str(self.source).lower().endswith(".npy"):
            raise EvalGuardInputError(
                f"input '{self.name}': expected a .npy file, got {self.source!r}", input_name=self.name
            )
        source = self._binary_source()
        # The header is checked before anything is allocated: a 200-byte file whose header
        # claims 1e11 rows would otherwise ask numpy for 3 TB (MemoryError, then retries).
        with self._content_errors():
            check_npy_header(source, self._label, self.name)
            arr = np.load(source, allow_pickle=False)
        if arr.ndim != 2:
            raise EvalGuardInputError(
                f"input '{self.name}': expected a 2-D array, got shape {arr.shape}", input_name=self.name
            )
        self.rows = arr.shape[0]
        with self._content_errors():
            return arr.astype(np.float32, copy=False)

    # -- fingerprint ---------------------------------------------------------------------------
    def _hash_in_background(self) -> None:
        if self._hashing is not None or self._sha256 is not None or self.is_frame or is_s3(str(self.source)):
            return
        self._hashing = BackgroundHash(self._local_path(), self.name)

    def sha256(self) -> str:
        if self._sha256 is None and self._hashing is not None:
            self._sha256 = self._hashing.result()  # None if the thread failed: hashed below
        if self._sha256 is None:
            if self.is_frame:
                self._sha256 = frame_sha256(self.source)
            elif is_s3(str(self.source)):
                self._sha256 = hashlib.sha256(self._s3_bytes()).hexdigest()
            else:
                self._sha256 = file_sha256(self._local_path())
        return self._sha256

    def fingerprint(self) -> InputFingerprint:
        return InputFingerprint(name=self.name, uri=self.uri, rows=int(self.rows or 0), sha256=self.sha256())
