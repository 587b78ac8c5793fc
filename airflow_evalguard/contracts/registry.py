"""Which contract version a store last validated with, so a contract can never silently go back.

One small JSON object per contract name at `_contracts/<name>.json` in the artifact store, holding
the highest version used and its sha256. A lower version is refused; the same version with
different content is reported (the contract changed without a version bump).
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass

from airflow_evalguard.contracts.loader import Contract, ContractError
from airflow_evalguard.store.base import ArtifactStore, sanitize_key_part

PREFIX = "_contracts"


@dataclass(frozen=True)
class VersionCheck:
    last_version: int | None
    last_sha256: str | None
    changed_without_bump: bool


def _key(name: str) -> str:
    return f"{PREFIX}/{sanitize_key_part(name)}.json"


def _last(store: ArtifactStore, name: str) -> dict | None:
    key = _key(name)
    if not store.exists(key):
        return None
    try:
        record = json.loads(store.read_bytes(key).decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContractError(f"contract registry {store.uri(key)} is not valid JSON ({exc}); fix or remove it") from None
    return record if isinstance(record, dict) else None


def check_version(store: ArtifactStore, contract: Contract) -> VersionCheck:
    """Refuse a contract version lower than the last one this store used for the same name."""
    last = _last(store, contract.name)
    if last is None or contract.version is None:
        return VersionCheck(None if last is None else last.get("version"), None, False)
    last_version = int(last.get("version", 0))
    if contract.version < last_version:
        raise ContractError(
            f"contract '{contract.name}' version {contract.version} is lower than version {last_version}, "
            f"last used {last.get('recorded_at', '?')} (registry {store.uri(_key(contract.name))}); "
            "a contract may only move forward: raise its version")
    same = contract.version == last_version and last.get("sha256") not in (None, contract.sha256)
    return VersionCheck(last_version, last.get("sha256"), same)


def record_version(store: ArtifactStore, contract: Contract) -> str | None:
    """Remember the version used (never lowering the recorded one); returns the registry URI."""
    if contract.version is None:
        return None
    last = _last(store, contract.name)
    if last is not None and int(last.get("version", 0)) > contract.version:
        return store.uri(_key(contract.name))
    record = {"name": contract.name, "version": contract.version, "sha256": contract.sha256,
              "source": contract.source, "recorded_at": _dt.datetime.now(_dt.timezone.utc).isoformat()}
    return store.write_bytes(_key(contract.name), json.dumps(record, indent=2).encode())
