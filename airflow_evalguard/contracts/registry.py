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
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.layout import encode_id

PREFIX = "_contracts"


@dataclass(frozen=True)
class VersionCheck:
    last_version: int | None
    last_sha256: str | None
    changed_without_bump: bool


def _key(name: str) -> str:
    return f"{PREFIX}/{encode_id(name)}.json"


def _legacy_key(name: str) -> str:
    """Where versions before the reversible key encoding kept the record (`.`, `_`, `-` and
    alphanumerics as they were, anything else `_` plus a hash): read so that upgrading never lets
    a contract go back. That scheme was not injective, so the record's own name must match."""
    import hashlib
    import re

    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", name).strip(".") or "_"
    if cleaned != name:
        cleaned = f"{cleaned}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
    return f"{PREFIX}/{cleaned}.json"


def _last(store: ArtifactStore, name: str) -> dict | None:
    key = _key(name)
    if not store.exists(key):
        legacy = _legacy_key(name)
        if legacy == key or not store.exists(legacy):
            return None
        record = _read(store, legacy)
        return record if record is not None and record.get("name") == name else None
    return _read(store, key)


def _read(store: ArtifactStore, key: str) -> dict | None:
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
