"""Registry keys use the store's reversible id encoding; records kept under the earlier (lossy)
scheme are still found, so upgrading never lets a contract go back a version."""

import json

import pytest

from airflow_evalguard.contracts.loader import ContractError, parse_contract_text
from airflow_evalguard.contracts.registry import check_version, record_version
from airflow_evalguard.store import LocalStore


def _contract(name: str, version: int):
    return parse_contract_text(f"name: {name}\nversion: {version}\n", origin="c.yaml")


def test_dotted_names_get_their_own_reversible_key(tmp_path):
    store = LocalStore(tmp_path)
    record_version(store, _contract("calls.v2", 3))
    assert store.list_keys("_contracts") == ["_contracts/calls!2ev2.json"]
    assert check_version(store, _contract("calls.v2", 3)).last_version == 3
    assert check_version(store, _contract("calls_v2", 1)).last_version is None


def test_a_record_under_the_earlier_key_still_counts(tmp_path):
    store = LocalStore(tmp_path)
    store.write_bytes("_contracts/calls.v2.json", json.dumps({"name": "calls.v2", "version": 4}).encode())
    with pytest.raises(ContractError, match="version 3 is lower than version 4"):
        check_version(store, _contract("calls.v2", 3))


def test_a_record_of_another_name_under_the_earlier_key_is_not_taken(tmp_path):
    from airflow_evalguard.contracts.registry import _last

    store = LocalStore(tmp_path)  # the earlier scheme put both names at caf_-850f7dc4.json
    store.write_bytes("_contracts/caf_-850f7dc4.json", json.dumps({"name": "caf_-850f7dc4", "version": 9}).encode())
    assert _last(store, "café") is None
    assert _last(store, "caf_-850f7dc4")["version"] == 9
