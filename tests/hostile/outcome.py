"""What every hostile run must satisfy, whatever was thrown at it."""

from __future__ import annotations

import json
from pathlib import Path

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.publish.artifacts import publish_result
from airflow_evalguard.result import CheckResult
from airflow_evalguard.run import run_check
from airflow_evalguard.store import LocalStore
from airflow_evalguard.store.layout import RunLayout
from airflow_evalguard.verdicts import Verdict

# A refusal is one line a person can read: long enough to name the input and column, short
# enough that an echoed 10 KB cell cannot flood a log.
MAX_ERROR_CHARS = 2_000

# Files that may hold rejected rows on purpose: the provenance gate's quarantine keeps every
# rejected row (with its reasons) so nothing is lost.
MAY_HOLD_REJECTED = {"quarantine.parquet"}


def decide_or_refuse(check: str, inputs: dict, params: dict, out_dir: Path) -> CheckResult | None:
    """Run the check; return its result (stored under `out_dir`), or None when it refused the
    input with an EvalGuardInputError. Anything else propagates and fails the test."""
    try:
        result = run_check(check, inputs, params)
    except EvalGuardInputError as refusal:
        message = str(refusal)
        assert "\n" not in message.strip() or len(message) < MAX_ERROR_CHARS, message[:500]
        assert len(message) < MAX_ERROR_CHARS, f"{len(message)}-char error: {message[:300]}..."
        assert not any(out_dir.iterdir()) if out_dir.exists() else True
        return None
    assert isinstance(result.verdict, Verdict)
    # allow_nan=False: a NaN or infinity anywhere in the result is an error, never `NaN` or null.
    json.loads(result.to_json())
    publish_result(LocalStore(out_dir), RunLayout(""), result)
    assert (out_dir / "result.json").is_file()
    return result


def files_holding(out_dir: Path, needle: str) -> list[str]:
    """Output files whose bytes contain `needle` (raw, as UTF-8): parquet dictionaries, footers and
    key-value metadata included, since they are bytes of the file like any other."""
    raw = needle.encode()
    return sorted(
        str(path.relative_to(out_dir)) for path in out_dir.rglob("*") if path.is_file() and raw in path.read_bytes()
    )


def assert_not_leaked(out_dir: Path, needle: str, allowed: set[str] = frozenset()) -> None:
    leaked = [name for name in files_holding(out_dir, needle) if name not in allowed]
    assert not leaked, f"planted value {needle!r} found in {leaked}"
