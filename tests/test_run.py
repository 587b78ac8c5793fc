"""run_check: the reader the shell hands in reads the inputs; values a registry handed in reach
the check untouched and are not fingerprinted as inputs."""

import pandas as pd
import pytest

from airflow_evalguard.contracts.versions import LastVersion
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from airflow_evalguard.sources.local_reader import LocalReader


@pytest.fixture
def contract(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: calls\nversion: 3\nfields:\n  tool:\n    required: true\n")
    return str(path)


def test_the_shells_reader_reads_s3_inputs(contract):
    class Reader(LocalReader):
        def read_bytes(self, uri, *, input_name):
            if not uri.startswith("s3://"):
                return super().read_bytes(uri, input_name=input_name)  # the contract
            self.read = (uri, input_name)
            return b"tool\nanswer\n"

    reader = Reader()
    result = run_check("output_contract", {"records": "s3://bucket/calls.csv"}, {"contract": contract}, reader=reader)
    assert reader.read == ("s3://bucket/calls.csv", "records")
    assert [i.uri for i in result.inputs] == ["s3://bucket/calls.csv"]


def test_without_a_reader_s3_is_refused(contract):
    with pytest.raises(EvalGuardInputError, match="needs an AWS connection"):
        run_check("output_contract", {"records": "s3://bucket/calls.csv"}, {"contract": contract})


def test_a_handed_in_registry_record_is_not_an_input(contract):
    last = LastVersion("calls", "mem://_contracts/x.json", {"version": 3, "sha256": "other"})
    records = pd.DataFrame({"tool": ["answer"]})
    result = run_check(
        "output_contract",
        {"records": records, "contract_last_version": last},
        {"contract": contract, "contract_registry": "/unused"},
    )
    assert [i.name for i in result.inputs] == ["records"]
    assert result.params["contract_last_version"] == 3
    assert "CONTRACT_CHANGED_WITHOUT_VERSION_BUMP" in {f.code for f in result.findings}
