"""What a check reads from or writes to a registry, kept out of the check (the operator's job).

A check is a pure function of its inputs and parameters. Where it needs state from an earlier run
(output_contract: the last contract version this store validated with), the shell reads it before
the check (`before_check`, handed in as an extra input) and records what the check used after it
(`after_check`). `open_store(uri)` opens a store root (the operator: `store.get_store(uri,
aws_conn_id=...)`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from airflow_evalguard.result import CheckResult


def before_check(check: str, inputs: dict[str, Any], params: dict[str, Any],
                 open_store: Callable[[str], Any]) -> dict[str, Any]:
    """Extra inputs `check` needs from a registry ({} when it needs none)."""
    return {}  # STUB


def after_check(check: str, params: dict[str, Any], result: CheckResult, open_store: Callable[[str], Any]) -> None:
    """Record in the registry what the check used (nothing when it did not run or used nothing)."""
    return None  # STUB
