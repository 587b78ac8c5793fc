"""Malformed input files, one builder per kind: each must be refused as bad input (exit 2 / an
EvalGuardInputError naming the input), never as an environment error that Airflow retries."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd

TIMESTAMPS = pd.date_range("2026-01-01", periods=300, freq="17min", tz="UTC")


def good_frame() -> pd.DataFrame:
    return pd.DataFrame({"ts": TIMESTAMPS, "region": ["eu", "us"] * 150})


def _parquet_bytes() -> bytes:
    buffer = io.BytesIO()
    good_frame().to_parquet(buffer)
    return buffer.getvalue()


def _csv_bytes() -> bytes:
    return good_frame().to_csv(index=False).encode()


def npy_claiming_rows(rows: int) -> bytes:
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (rows, 8)})
    return header.getvalue() + b"\0" * 64


# file name -> bytes, and a fragment the error message must contain
TABLE_KINDS: dict[str, tuple[str, bytes, str]] = {
    "empty_csv": ("t.csv", b"", "empty"),
    "zero_byte_parquet": ("t.parquet", b"", "cannot read"),
    "corrupt_parquet": ("t.parquet", b"PAR1 this is not parquet", "cannot read"),
    "truncated_parquet_footer": ("t.parquet", _parquet_bytes()[:-20], "cannot read"),
    "bad_gzip": ("t.csv.gz", b"\x1f\x8b\x08\x00 not gzip data at all", "gzip"),
    "truncated_gzip": ("t.csv.gz", gzip.compress(_csv_bytes())[:400], "gzip"),
    "csv_quoting_error": ("t.csv", b'ts,region\n2026-01-01T00:00:00Z,"eu\n2026-01-01T01:00:00Z,us\n', "cannot read"),
    "csv_nul_byte": ("t.csv", _csv_bytes()[:60] + b"\0" + _csv_bytes()[60:], "NUL"),
    "csv_not_utf8": ("t.csv", _csv_bytes() + "2026-01-02T00:00:00Z,caf\xe9\n".encode("latin-1"), "UTF-8"),
    "jsonl_bad_line": ("t.jsonl", b'{"ts": "2026-01-01T00:00:00Z", "region": "eu"}\n{oops\n', "cannot read"),
    "jsonl_not_utf8": ("t.jsonl", '{"ts": "2026-01-01T00:00:00Z", "region": "caf\xe9"}\n'.encode("latin-1"), "UTF-8"),
    "parquet_gz_not_parquet": ("t.parquet.gz", gzip.compress(b"not parquet"), "cannot read"),
}


def write_kind(folder: Path, kind: str) -> Path:
    name, content, _ = TABLE_KINDS[kind]
    path = folder / f"{kind}_{name}"
    path.write_bytes(content)
    return path


def gzip_bomb(expanded_bytes: int) -> bytes:
    """A valid .csv.gz whose content is `expanded_bytes` of rows (a ~1000x compression ratio)."""
    row = b"2026-01-01T00:00:00Z,eu\n"
    return gzip.compress(b"ts,region\n" + row * (expanded_bytes // len(row)), compresslevel=9)
