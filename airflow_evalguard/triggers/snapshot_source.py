"""Where a judge endpoint reports its current snapshot id: a Python callable, or an HTTP endpoint
reached through an Airflow connection (the http provider's HttpHook).

Shared by JudgeSnapshotSensor's poke (on a worker) and its PollingTrigger (in the triggerer),
so both read the snapshot the same way. The source is a plain dict so the trigger
can serialize it.
"""

from __future__ import annotations

import importlib
from typing import Any


def callable_source(path: str, kwargs: dict | None = None) -> dict:
    return {"kind": "callable", "path": path, "kwargs": dict(kwargs or {})}


def http_source(conn_id: str, endpoint: str, key: str) -> dict:
    return {"kind": "http", "conn_id": conn_id, "endpoint": endpoint, "key": key}


def import_callable(path: str):
    """`package.module:function` or `package.module.function` -> the function."""
    module, sep, name = path.partition(":")
    if not sep:
        module, _, name = path.rpartition(".")
    if not module or not name:
        raise ValueError(f"snapshot_callable must be 'package.module:function', got {path!r}")
    fn = getattr(importlib.import_module(module), name, None)
    if not callable(fn):
        raise ValueError(f"snapshot_callable {path!r} is not a callable")
    return fn


def dig(document: Any, key: str) -> Any:
    """`a.b.0.c` into nested dicts and lists."""
    node = document
    for part in key.split(".") if key else []:
        if isinstance(node, list) and part.lstrip("-").isdigit():
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(f"snapshot key {key!r}: no {part!r} in the endpoint's response")
    return node


def read_snapshot(source: dict) -> str:
    """The snapshot id the endpoint reports now (blocking; the trigger calls it in a thread)."""
    if source["kind"] == "callable":
        return str(import_callable(source["path"])(**source.get("kwargs", {})))
    if source["kind"] == "http":
        from airflow.providers.http.hooks.http import HttpHook

        response = HttpHook(method="GET", http_conn_id=source["conn_id"]).run(source["endpoint"])
        return str(dig(response.json(), source["key"]))
    raise ValueError(f"unknown snapshot source kind {source.get('kind')!r}")


def matches(snapshot: str, pinned: list[str]) -> bool:
    return snapshot in set(pinned)


def snapshot_is_pinned(source: dict, pinned: list[str]) -> tuple[bool, dict, None]:
    """JudgeSnapshotSensor's condition (see triggers.polling): the snapshot now, and whether it is pinned."""
    snapshot = read_snapshot(source)
    ok = matches(snapshot, pinned)
    return ok, {"snapshot": snapshot, "reason": f"judge reports snapshot {snapshot!r}; pinned {pinned}"}, None
