"""Read a stored result (and its evidence) back for a report, refusing what we cannot read.

result.json is the commit marker (store/artifacts.py): a folder without it shows nothing, and a
re-render reads only the files the result lists in its own folder, never a file that merely sits
there (an earlier run's evidence.parquet in a re-used folder, say). A result whose recorded URI
names another folder than the one it was read from is refused: it was copied or moved there, or
two ids met in one folder on a case-insensitive filesystem.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.result import SCHEMA_ID
from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.layout import RESULT_FILE

SCHEMA_NAME, SCHEMA_VERSION = SCHEMA_ID.split("/v")[0], int(SCHEMA_ID.split("/v")[1])
VERDICTS = ("PASS", "WARN", "FAIL", "INCONCLUSIVE")


class UnreadableResult(EvalGuardInputError):
    """`reason` says what is wrong without naming where the store lives (safe to show anyone)."""

    def __init__(self, origin: str, reason: str):
        super().__init__(f"{origin}: {reason}")
        self.reason = reason


@dataclass
class StoredRun:
    result: dict
    evidence: object | None  # pandas DataFrame
    evidence_note: str | None
    prefix: str
    files: dict[str, str]  # artifact name -> key, for the files the result lists in its folder


def check_schema(result: dict, origin: str) -> None:
    schema = result.get("schema") if isinstance(result, dict) else None
    if not isinstance(schema, str) or "/v" not in schema or schema.split("/v")[0] != SCHEMA_NAME:
        raise UnreadableResult(origin, f"not an EvalGuard result (schema {schema!r}; expected {SCHEMA_ID})")
    try:
        version = int(schema.split("/v")[1])
    except ValueError:
        raise UnreadableResult(origin, f"unreadable schema version {schema!r}") from None
    if version > SCHEMA_VERSION:
        raise UnreadableResult(
            origin, f"written by a newer EvalGuard (schema {schema}); this version reads up to {SCHEMA_ID}: "
                    "upgrade airflow-evalguard to render it")


def _join(prefix: str, name: str) -> str:
    return f"{prefix}/{name}" if prefix else name


def _split_uri(uri: str) -> tuple[str, str]:
    folder, _, name = uri.replace("\\", "/").rpartition("/")
    return folder, name


def listed_files(result: dict, prefix: str, origin: str) -> dict[str, str]:
    """name -> key of each artifact the result lists in its own folder. Raises UnreadableResult
    when the result's recorded URI does not end in `{prefix}/result.json`."""
    artifacts = result.get("artifacts")
    recorded = artifacts.get("result") if isinstance(artifacts, dict) else None
    if not isinstance(recorded, str):
        return {}  # a hand-made result: render it alone
    if not recorded.replace("\\", "/").endswith("/" + _join(prefix, RESULT_FILE)) and \
            recorded.replace("\\", "/") != _join(prefix, RESULT_FILE):
        raise UnreadableResult(origin, "the result was written for another location (copied or moved here?)")
    folder, _ = _split_uri(recorded)
    files = {}
    for name, uri in artifacts.items():
        if not isinstance(uri, str) or name == "result":
            continue
        where, file_name = _split_uri(uri)
        if where == folder and file_name and not file_name.startswith("."):
            files[name] = _join(prefix, file_name)
    return files


def read_result(store: ArtifactStore, prefix: str) -> tuple[dict, dict[str, str]]:
    """The committed result.json under `prefix` and its listed files; UnreadableResult otherwise."""
    key = _join(prefix, RESULT_FILE)
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
    return result, listed_files(result, prefix, origin)


def load_evidence(store: ArtifactStore, result: dict, files: dict[str, str]) -> tuple[object | None, str | None]:
    """The evidence table the result lists (None and a note when it is missing or unreadable)."""
    listed = (result.get("artifacts") or {}).get("evidence")
    if "evidence" in files and store.exists(files["evidence"]):
        import pandas as pd

        try:
            return pd.read_parquet(io.BytesIO(store.read_bytes(files["evidence"]))), None
        except Exception:  # noqa: BLE001 - a broken table must not take the report down with it
            return None, "the evidence file could not be read; the evidence table is left out"
    if listed:
        return None, "the evidence file is missing from the store; the evidence table is left out"
    return None, None


def load_run(store: ArtifactStore, prefix: str) -> StoredRun:
    result, files = read_result(store, prefix)
    evidence, note = load_evidence(store, result, files)
    return StoredRun(result, evidence, note, prefix, files)
