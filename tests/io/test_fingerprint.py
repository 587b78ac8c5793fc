"""Input fingerprints: a file's bytes, a DataFrame's values, or the log a harness table was read from."""

from __future__ import annotations

import hashlib

import pandas as pd

from airflow_evalguard.io.fingerprint import file_sha256, frame_sha256
from airflow_evalguard.io.table import TableInput


def test_a_file_is_hashed_by_its_bytes(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(b"a,b\n1,2\n")
    assert file_sha256(path) == hashlib.sha256(b"a,b\n1,2\n").hexdigest()


def test_a_frame_read_from_a_harness_log_takes_the_logs_hash_and_uri():
    plain = pd.DataFrame({"a": [1, 2]})
    from_log = plain.copy()
    from_log.attrs.update(log_uri="s3://evals/run.eval", log_sha256="ab" * 32)
    assert frame_sha256(from_log) == "ab" * 32 != frame_sha256(plain)
    assert TableInput("candidate", from_log).uri == "s3://evals/run.eval"
    assert TableInput("candidate", plain).uri == "dataframe:candidate"
    malformed = plain.copy()
    malformed.attrs.update(log_sha256="not a hash")
    assert frame_sha256(malformed) == frame_sha256(plain), "only a sha256 recorded on read is taken"
