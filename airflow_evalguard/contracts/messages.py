"""Short error messages: a contract error echoes what it refused, but never all of it.

A contract value can be megabytes (a pasted blob, an expanded YAML alias); echoing it whole
would flood the task log and the CLI. Each echoed value is cut, and so is the whole message.
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError

ECHO_LIMIT = 300
MESSAGE_LIMIT = 1000


def shorten(value, limit: int = ECHO_LIMIT) -> str:
    """`value` as text, at most `limit` characters plus a note of how much was cut."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def short_repr(value, limit: int = ECHO_LIMIT) -> str:
    return shorten(repr(value) if isinstance(value, str) else value, limit)


class ContractError(EvalGuardInputError):
    """A contract file that cannot be used (bad YAML, schema violation, bad condition)."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(shorten(message, MESSAGE_LIMIT), **kwargs)
