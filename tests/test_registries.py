"""registries: the shell reads output_contract's version registry before the check and records the
version used after it; every other check (and any input the check would refuse) gets nothing."""

import json

import pandas as pd
import pytest

from airflow_evalguard.checks.output_contract.read import LAST_VERSION
from airflow_evalguard.contracts.versions import LastVersion
from airflow_evalguard.registries import after_check, before_check
from airflow_evalguard.run import run_check
from airflow_evalguard.store import LocalStore, get_store

CONTRACT = "name: calls\nversion: {version}\nfields:\n  tool:\n    required: true\n"


@pytest.fixture
def contract(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(CONTRACT.format(version=2))
    return path


def _params(contract, registry):
    return {"contract": str(contract), "contract_registry": str(registry)}


def test_other_checks_and_runs_without_a_registry_get_nothing(contract, tmp_path):
    opened = []
    assert before_check("sampling_window", {"sample": "x"}, {}, opened.append) == {}
    assert before_check("output_contract", {"records": "x"}, {"contract": str(contract)}, opened.append) == {}
    assert opened == []


def test_before_check_hands_in_the_record_for_the_contracts_name(contract, tmp_path):
    store = LocalStore(tmp_path / "registry")
    store.write_bytes("_contracts/calls.json", json.dumps({"name": "calls", "version": 1, "sha256": "x"}).encode())
    extra = before_check("output_contract", {"records": "r.csv"}, _params(contract, tmp_path / "registry"), get_store)
    last = extra[LAST_VERSION]
    assert isinstance(last, LastVersion) and last.name == "calls" and last.record["version"] == 1
    assert last.registry.endswith("_contracts/calls.json")


@pytest.mark.parametrize(
    "inputs,params",
    [
        ({}, {}),  # the required input is missing
        ({"records": "r.csv"}, {"alpha": 2.0}),  # a param the check refuses
        ({"records": "r.csv"}, {"contract": "/no/such/contract.yaml"}),
    ],
)
def test_what_the_check_would_refuse_hands_in_nothing(contract, tmp_path, inputs, params):
    given = {**_params(contract, tmp_path / "registry"), **params}
    assert before_check("output_contract", inputs, given, get_store) == {}


def test_after_check_records_the_version_the_check_used(contract, tmp_path):
    params = _params(contract, tmp_path / "registry")
    records = pd.DataFrame({"tool": ["answer"]})
    extra = before_check("output_contract", {"records": records}, params, get_store)
    result = run_check("output_contract", {"records": records, **extra}, params)
    assert result.params["contract_last_version"] is None
    after_check("output_contract", params, result, get_store)
    stored = json.loads((tmp_path / "registry" / "_contracts" / "calls.json").read_text())
    assert stored["version"] == 2 and stored["sha256"] == result.params["contract_sha256"]
    again = before_check("output_contract", {"records": records}, params, get_store)
    assert run_check("output_contract", {"records": records, **again}, params).params["contract_last_version"] == 2


def test_an_s3_contract_is_read_through_the_shells_store(tmp_path):
    """before_check has no reader: it reads the contract as a store of its folder, with the
    shell's connection (here a local store standing in for the bucket)."""
    (tmp_path / "bucket" / "contracts").mkdir(parents=True)
    (tmp_path / "bucket" / "contracts" / "c.yaml").write_text(CONTRACT.format(version=4))
    opened = []

    def open_store(uri):
        opened.append(uri)
        return LocalStore(tmp_path / uri.removeprefix("s3://"))

    params = {"contract": "s3://bucket/contracts/c.yaml", "contract_registry": "s3://bucket/registry"}
    extra = before_check("output_contract", {"records": "r.csv"}, params, open_store)
    assert extra[LAST_VERSION].name == "calls" and extra[LAST_VERSION].record is None
    assert opened == ["s3://bucket/contracts", "s3://bucket/registry"]


def test_after_check_records_nothing_for_other_checks(tmp_path):
    opened = []
    after_check("sampling_window", {"contract_registry": str(tmp_path)}, None, opened.append)
    assert opened == []
