"""Judge a contract's version against the last one a registry recorded (pure: no store).

The registry (contracts.registry) is read by the shell before the check
(`registries.before_check`) and handed in as a `LastVersion`; the check judges it here, so a
contract can never silently go back a version, and the check itself touches no store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airflow_evalguard.contracts.loader import Contract, ContractError


@dataclass(frozen=True)
class LastVersion:
    """What the registry remembered for contract `name` (record None: never used there)."""

    name: str
    registry: str  # the record's URI, for messages
    record: dict[str, Any] | None


@dataclass(frozen=True)
class VersionCheck:
    last_version: int | None
    last_sha256: str | None
    changed_without_bump: bool


def judge_version(last: LastVersion, contract: Contract) -> VersionCheck:
    """Refuse a contract version lower than the last one recorded for the same name."""
    if last.name != contract.name:  # the contract file changed between the registry read and the check
        raise ContractError(
            f"contract '{contract.name}': the registry was read for contract '{last.name}'; the "
            "contract changed while the gate ran: run it again"
        )
    record = last.record
    if record is None or contract.version is None:
        return VersionCheck(None if record is None else record.get("version"), None, False)
    last_version = int(record.get("version", 0))
    if contract.version < last_version:
        raise ContractError(
            f"contract '{contract.name}' version {contract.version} is lower than version {last_version}, "
            f"last used {record.get('recorded_at', '?')} (registry {last.registry}); "
            "a contract may only move forward: raise its version"
        )
    same = contract.version == last_version and record.get("sha256") not in (None, contract.sha256)
    return VersionCheck(last_version, record.get("sha256"), same)
