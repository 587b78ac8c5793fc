"""What a check reads from or writes to a registry, kept out of the check (the shell's job).

A check is a pure function of its inputs and parameters. Where it needs state from earlier runs
(output_contract: the last contract version this store validated with, so a contract can never
silently go back), the shell reads it before the check (`before_check`, handed in as an extra
input) and records what the check used right after it (`after_check`). `open_store(uri)` opens a
store root with the shell's connection (the operator: `store.get_store(uri, aws_conn_id=...)`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from airflow_evalguard.checks import get_check
from airflow_evalguard.checks.output_contract.read import LAST_VERSION
from airflow_evalguard.contracts.loader import Contract, load_contract
from airflow_evalguard.contracts.registry import last_version, record_version
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.result import CheckResult
from airflow_evalguard.sources.local_reader import NoSuchInput
from airflow_evalguard.uri import is_s3

OpenStore = Callable[[str], Any]


def before_check(check: str, inputs: dict[str, Any], params: dict[str, Any], open_store: OpenStore) -> dict[str, Any]:
    """Extra inputs `check` needs from a registry ({} when it needs none).

    output_contract with `contract_registry`: the registry's record for the contract's name
    (`LAST_VERSION`). Inputs or params the check would refuse hand in nothing: run_check then
    refuses them itself, with its own message and in its own order.
    """
    if check != "output_contract" or not params.get("contract_registry"):
        return {}
    try:
        spec = get_check(check)
        spec.check_inputs(inputs)
        resolved = spec.resolve_params(params)
        if not resolved["contract"]:
            return {}
        # The record is kept per contract name, which only the contract file says.
        contract = load_contract(resolved["contract"], reader=_StoreReader(open_store))
    except (EvalGuardInputError, ValueError):  # ValueError: a key the store refuses (`..`)
        return {}
    return {LAST_VERSION: last_version(open_store(resolved["contract_registry"]), contract.name)}


def after_check(check: str, params: dict[str, Any], result: CheckResult, open_store: OpenStore) -> None:
    """Record what the check used: output_contract's contract version, once the check has run with
    a registry (never lowering the recorded version)."""
    if check != "output_contract" or not params.get("contract_registry"):
        return
    used = result.params
    if used.get("contract_version") is None:
        return
    contract = Contract(
        name=used["contract_name"],
        version=used["contract_version"],
        sha256=used["contract_sha256"],
        source=used["contract_source"],
    )
    record_version(open_store(params["contract_registry"]), contract)


class _StoreReader:
    """Reads a file as a store holding its folder does: `before_check` gets no reader, only the
    shell's `open_store`, which carries the same connection."""

    def __init__(self, open_store: OpenStore) -> None:
        self.open_store = open_store

    def read_bytes(self, uri: str, *, input_name: str) -> bytes:
        folder, name = uri.rsplit("/", 1) if is_s3(uri) else (str(Path(uri).parent), Path(uri).name)
        store = self.open_store(folder)
        if not store.exists(name):
            raise NoSuchInput(f"input '{input_name}': no such file or object: {uri}", input_name=input_name)
        data: bytes = store.read_bytes(name)
        return data

    def arrow_filesystem(self, uri: str) -> tuple[Any, str]:
        raise NotImplementedError("a registry reads whole files only")
