"""SQL text SqlSource writes: quoted identifiers, and the dialects whose quoting it implements."""

from __future__ import annotations

from airflow_evalguard.exceptions import EvalGuardInputError


def quote_identifier(name: str) -> str:
    if not isinstance(name, str) or not name or "\x00" in name:
        raise EvalGuardInputError(f"not a usable SQL identifier: {str(name)[:100]!r}")
    return '"' + name.replace('"', '""') + '"'


def quote_table(name: str) -> str:
    return ".".join(quote_identifier(part) for part in name.split("."))


# Connection types whose identifier quoting is the one quote_identifier writes.
SUPPORTED_DIALECTS = {"postgres": "postgresql", "postgresql": "postgresql", "duckdb": "duckdb"}


def supported_dialect(conn_type: str | None, what: str) -> str:
    dialect = SUPPORTED_DIALECTS.get(str(conn_type).lower())
    if dialect is None:
        raise EvalGuardInputError(
            f"{what} is of type {str(conn_type)[:50]!r}: SqlSource runs only on PostgreSQL and "
            f"DuckDB, whose identifier quoting it implements"
        )
    return dialect
