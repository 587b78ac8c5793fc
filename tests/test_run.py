"""run_check: the reader the shell hands in reads the inputs; values a registry handed in reach
the check untouched and are not fingerprinted as inputs."""

import numpy as np
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


def test_a_missing_column_names_the_parameter_that_would_name_it():
    teacher = pd.DataFrame({"order_id": [1, 2], "lang": ["en", "fr"], "correct": [1, 0]})
    with pytest.raises(EvalGuardInputError, match=r"\['example_id'\] \(set id_column=\.\.\. or map it with columns="):
        run_check("slice_retention", {"teacher": teacher, "student": teacher}, {"slice_columns": ["lang"]})
    with pytest.raises(EvalGuardInputError, match=r"\['topic'\] \(set slice_columns=\.\.\."):
        run_check(
            "slice_retention",
            {"teacher": teacher, "student": teacher},
            {"slice_columns": ["topic"], "id_column": "order_id"},
        )


def test_a_columns_mapping_and_id_column_give_the_result_of_tables_named_our_way():
    rng = np.random.default_rng(4)
    ours = pd.DataFrame(
        {"example_id": range(200), "lang": rng.choice(["en", "fr"], 200), "correct": rng.integers(0, 2, 200)}
    )
    student = ours.assign(correct=rng.integers(0, 2, 200))
    given = {"slice_columns": ["lang"]}
    expected = run_check("slice_retention", {"teacher": ours, "student": student}, given)
    theirs = {
        side: {"frame": frame.rename(columns={"example_id": "oid", "correct": "ok"}), "columns": {"correct": "ok"}}
        for side, frame in (("teacher", ours), ("student", student))
    }
    got = run_check("slice_retention", theirs, {**given, "id_column": "oid"})
    assert (got.verdict, got.metrics) == (expected.verdict, expected.metrics)
