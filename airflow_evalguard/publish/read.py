"""Read a stored result (and its evidence) back for a report, refusing what we cannot read.

result.json is the commit marker (publish/artifacts.py): a folder without it shows nothing, and a
re-render reads only the files the result lists in its own folder, never a file that merely sits
there (an earlier run's evidence.parquet in a re-used folder, say). A result whose recorded URI
names another folder than the one it was read from is refused: it was copied or moved there, or
two ids met in one folder on a case-insensitive filesystem.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.result import SCHEMA_ID
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.layout import RESULT_FILE, RunLayout

SCHEMA_NAME, SCHEMA_VERSION = SCHEMA_ID.split("/v")[0], int(SCHEMA_ID.split("/v")[1])
VERDICTS = ("PASS", "WARN", "FAIL", "INCONCLUSIVE")


class UnreadableResult(EvalGuardInputError):
    """`reason` says what is wrong without naming where the store lives (safe to show anyone)."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class StoredRun:
    result: dict[str, Any]
    evidence: Any  # a pandas DataFrame, or None
    evidence_note: str | None
    prefix: str
    files: dict[str, str]  # artifact name -> key, for the files the result lists in its folder


def check_schema(result: Any, origin: str) -> None:
    schema = result.get("schema") if isinstance(result, dict) else None
    if not isinstance(schema, str) or "/v" not in schema or schema.split("/v")[0] != SCHEMA_NAME:
        raise UnreadableResult(origin, f"not an EvalGuard result (schema {schema!r}; expected {SCHEMA_ID})")
    try:
        version = int(schema.split("/v")[1])
    except ValueError:
        raise UnreadableResult(origin, f"unreadable schema version {schema!r}") from None
    if version > SCHEMA_VERSION:
        raise UnreadableResult(
            origin,
            f"written by a newer EvalGuard (schema {schema}); this version reads up to {SCHEMA_ID}: "
            "upgrade airflow-evalguard to render it",
        )


def as_layout(where: RunLayout | str) -> RunLayout:
    """A folder given as a RunLayout or as its key ("" for the store root)."""
    return where if isinstance(where, RunLayout) else RunLayout(where)


def listed_files(result: dict[str, Any], where: RunLayout | str, origin: str) -> dict[str, str]:
    """name -> key of each artifact the result lists in its own folder. Raises UnreadableResult
    when the result's recorded URI does not name `{folder}/result.json`."""
    layout = as_layout(where)
    artifacts = result.get("artifacts")
    recorded = artifacts.get("result") if isinstance(artifacts, dict) else None
    if not isinstance(artifacts, dict) or not isinstance(recorded, str):
        return {}  # a hand-made result: render it alone
    if not layout.is_result_uri(recorded):
        raise UnreadableResult(origin, "the result was written for another location (copied or moved here?)")
    folder, _ = RunLayout.split_uri(recorded)
    files = {}
    for name, uri in artifacts.items():
        if not isinstance(uri, str) or name == "result":
            continue
        where_, file_name = RunLayout.split_uri(uri)
        if where_ == folder and file_name and not file_name.startswith("."):
            files[name] = layout.key(file_name)
    return files


def read_result(store: ArtifactStore, where: RunLayout | str) -> tuple[dict[str, Any], dict[str, str]]:
    """The committed result.json in the folder `where` and its listed files; UnreadableResult otherwise."""
    layout = as_layout(where)
    key = layout.result_key
    origin = store.uri(key)
    if not store.exists(key):
        raise UnreadableResult(origin, f"no {RESULT_FILE}: nothing was committed here")
    try:
        result = json.loads(store.read_bytes(key).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableResult(origin, f"not valid JSON ({exc})") from None
    check_schema(result, origin)
    if result.get("verdict") not in VERDICTS:
        raise UnreadableResult(origin, f"no valid verdict ({str(result.get('verdict'))[:40]!r})")
    return result, listed_files(result, layout, origin)


def load_evidence(store: ArtifactStore, result: dict[str, Any], files: dict[str, str]) -> tuple[Any, str | None]:
    """The evidence table the result lists (None and a note when it is missing or unreadable)."""
    listed = (result.get("artifacts") or {}).get("evidence")
    if "evidence" in files and store.exists(files["evidence"]):
        try:
            return pd.read_parquet(io.BytesIO(store.read_bytes(files["evidence"]))), None
        except Exception:  # noqa: BLE001 - a broken table must not take the report down with it
            return None, "the evidence file could not be read; the evidence table is left out"
    if listed:
        return None, "the evidence file is missing from the store; the evidence table is left out"
    return None, None


def load_run(store: ArtifactStore, where: RunLayout | str) -> StoredRun:
    layout = as_layout(where)
    result, files = read_result(store, layout)
    evidence, note = load_evidence(store, result, files)
    return StoredRun(result, evidence, note, layout.folder, files)
