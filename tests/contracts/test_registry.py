"""A contract may only move forward: the store remembers the last version used per name."""

import pytest

from airflow_evalguard.contracts.loader import ContractError, parse_contract_text
from airflow_evalguard.contracts.registry import check_version, record_version
from airflow_evalguard.store import LocalStore


def _contract(version: int, extra: str = ""):
    return parse_contract_text(f"name: calls\nversion: {version}\n{extra}", origin="c.yaml")


def test_lower_version_is_refused_and_higher_moves_forward(tmp_path):
    store = LocalStore(tmp_path)
    assert check_version(store, _contract(2)).last_version is None
    record_version(store, _contract(2))
    assert check_version(store, _contract(3)).last_version == 2
    record_version(store, _contract(3))
    with pytest.raises(ContractError, match="version 2 is lower than version 3"):
        check_version(store, _contract(2))


def test_same_version_with_new_content_is_flagged(tmp_path):
    store = LocalStore(tmp_path)
    record_version(store, _contract(1))
    assert not check_version(store, _contract(1)).changed_without_bump
    assert check_version(store, _contract(1, "description: changed\n")).changed_without_bump


def test_recording_never_lowers_the_registry(tmp_path):
    store = LocalStore(tmp_path)
    record_version(store, _contract(5))
    record_version(store, _contract(4))
    assert check_version(store, _contract(5)).last_version == 5


def test_corrupt_registry_is_a_clear_error(tmp_path):
    store = LocalStore(tmp_path)
    store.write_bytes("_contracts/calls.json", b"{not json")
    with pytest.raises(ContractError, match="not valid JSON"):
        check_version(store, _contract(1))
