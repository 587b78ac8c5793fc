"""LocalReader: local files only; s3:// is refused as bad input saying a connection is needed."""

import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.sources.local_reader import LocalReader, NoSuchInput


def test_reads_local_bytes_and_names_a_missing_file(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"a\n1\n")
    assert LocalReader().read_bytes(str(tmp_path / "a.csv"), input_name="a") == b"a\n1\n"
    with pytest.raises(NoSuchInput, match="input 'a': no such file"):
        LocalReader().read_bytes(str(tmp_path / "b.csv"), input_name="a")


def test_s3_needs_a_connection():
    with pytest.raises(EvalGuardInputError, match="needs an AWS connection"):
        LocalReader().read_bytes("s3://bucket/a.csv", input_name="a")
    with pytest.raises(EvalGuardInputError, match="needs an AWS connection"):
        LocalReader().arrow_filesystem("s3://bucket/a/")
    assert LocalReader().arrow_filesystem("/data/x") == (None, "/data/x")


def test_a_table_input_without_a_reader_refuses_s3():
    with pytest.raises(EvalGuardInputError, match="needs an AWS connection"):
        TableInput("sample", "s3://bucket/t.csv").read()


def test_a_table_input_reads_s3_through_the_reader_it_is_handed():
    class Reader(LocalReader):
        def read_bytes(self, uri, *, input_name):
            return b"ts\n1\n2\n"

    assert len(TableInput("sample", "s3://bucket/t.csv", Reader()).read(["ts"])) == 2
