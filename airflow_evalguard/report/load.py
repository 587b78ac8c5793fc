"""Read a stored result (and its evidence) back for a report, refusing what we cannot read."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.result import SCHEMA_ID
from airflow_evalguard.store.artifacts import EVIDENCE_FILE, RESULT_FILE
from airflow_evalguard.store.base import ArtifactStore

SCHEMA_NAME, SCHEMA_VERSION = SCHEMA_ID.split("/v")[0], int(SCHEMA_ID.split("/v")[1])


@dataclass
class StoredRun:
    result: dict
    evidence: object | None  # pandas DataFrame
    evidence_note: str | None
    prefix: str


def check_schema(result: dict, origin: str) -> None:
    schema = result.get("schema") if isinstance(result, dict) else None
    if not isinstance(schema, str) or "/v" not in schema or schema.split("/v")[0] != SCHEMA_NAME:
        raise EvalGuardInputError(f"{origin}: not an EvalGuard result (schema {schema!r}; expected {SCHEMA_ID})")
    try:
        version = int(schema.split("/v")[1])
    except ValueError:
        raise EvalGuardInputError(f"{origin}: unreadable schema version {schema!r}") from None
    if version > SCHEMA_VERSION:
        raise EvalGuardInputError(
            f"{origin}: written by a newer EvalGuard (schema {schema}); this version reads up to {SCHEMA_ID}: "
            "upgrade airflow-evalguard to render it")


def load_run(store: ArtifactStore, prefix: str) -> StoredRun:
    def key(name: str) -> str:
        return f"{prefix}/{name}" if prefix else name

    if not store.exists(key(RESULT_FILE)):
        raise EvalGuardInputError(f"no {RESULT_FILE} at {store.uri(key(RESULT_FILE))}")
    try:
        result = json.loads(store.read_bytes(key(RESULT_FILE)).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalGuardInputError(f"{store.uri(key(RESULT_FILE))}: not valid JSON ({exc})") from None
    check_schema(result, store.uri(key(RESULT_FILE)))
    evidence, note = None, None
    listed = (result.get("artifacts") or {}).get("evidence")
    if store.exists(key(EVIDENCE_FILE)):
        import pandas as pd

        evidence = pd.read_parquet(io.BytesIO(store.read_bytes(key(EVIDENCE_FILE))))
    elif listed:
        note = f"the evidence file ({listed}) is missing from the store; the evidence table is left out"
    return StoredRun(result, evidence, note, prefix)
