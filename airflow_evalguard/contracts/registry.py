"""Which contract version a store last validated with, so a contract can never silently go back.

One small JSON object per contract name at `_contracts/<name>.json` in the artifact store, holding
the highest version used and its sha256. A lower version is refused; the same version with
different content is reported (the contract changed without a version bump).

The store is the shell's (`registries.before_check` reads `last_version`, `after_check` calls
`record_version`); judging a version is pure (contracts.versions), so the check opens no store.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from airflow_evalguard.contracts.loader import Contract, ContractError
from airflow_evalguard.contracts.versions import LastVersion, VersionCheck, judge_version
from airflow_evalguard.ids import encode_id

if TYPE_CHECKING:
    from airflow_evalguard.store.base import ArtifactStore

PREFIX = "_contracts"
__all__ = ["LastVersion", "VersionCheck", "check_version", "last_version", "record_version"]


def _key(name: str) -> str:
    return f"{PREFIX}/{encode_id(name)}.json"


def _legacy_key(name: str) -> str:
    """Where versions before the reversible key encoding kept the record (`.`, `_`, `-` and
    alphanumerics as they were, anything else `_` plus a hash): read so that upgrading never lets
    a contract go back. That scheme was not injective, so the record's own name must match."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", name).strip(".") or "_"
    if cleaned != name:
        cleaned = f"{cleaned}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
    return f"{PREFIX}/{cleaned}.json"


def _last(store: ArtifactStore, name: str) -> dict[str, Any] | None:
    key = _key(name)
    if not store.exists(key):
        legacy = _legacy_key(name)
        if legacy == key or not store.exists(legacy):
            return None
        record = _read(store, legacy)
        return record if record is not None and record.get("name") == name else None
    return _read(store, key)


def _read(store: ArtifactStore, key: str) -> dict[str, Any] | None:
    try:
        record = json.loads(store.read_bytes(key).decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContractError(f"contract registry {store.uri(key)} is not valid JSON ({exc}); fix or remove it") from None
    return record if isinstance(record, dict) else None


def last_version(store: ArtifactStore, name: str) -> LastVersion:
    """What `store` remembers for contract `name` (read by the shell before the check)."""
    return LastVersion(name, store.uri(_key(name)), _last(store, name))


def check_version(store: ArtifactStore, contract: Contract) -> VersionCheck:
    """Refuse a contract version lower than the last one this store used for the same name."""
    return judge_version(last_version(store, contract.name), contract)


def record_version(store: ArtifactStore, contract: Contract) -> str | None:
    """Remember the version used (never lowering the recorded one); returns the registry URI."""
    if contract.version is None:
        return None
    last = _last(store, contract.name)
    if last is not None and int(last.get("version", 0)) > contract.version:
        return store.uri(_key(contract.name))
    record = {
        "name": contract.name,
        "version": contract.version,
        "sha256": contract.sha256,
        "source": contract.source,
        "recorded_at": _dt.datetime.now(_dt.UTC).isoformat(),
    }
    return store.write_bytes(_key(contract.name), json.dumps(record, indent=2).encode())
