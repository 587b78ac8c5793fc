"""The hook for an Airflow connection named in a SQL spec: DuckDBHook for a `duckdb` connection,
a Spark Connect session (sources.spark_connect) for a `spark_connect` one, else the connection's
own hook, which must be a DB-API (common.sql) hook."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.spark_connect import SparkConnectSource
from airflow_evalguard.sources.sql_dialects import ALIASES, known_dialect


def connection_hook(conn_id: str, dialect: str | None, duckdb_args: dict) -> Any:
    from airflow.sdk import BaseHook

    connection = BaseHook.get_connection(conn_id)
    conn_type = str(connection.conn_type).lower()
    if conn_type == "duckdb" and (dialect is None or ALIASES.get(str(dialect).lower()) == "duckdb"):
        from airflow_evalguard.sources.duckdb_hook import DuckDBHook

        return DuckDBHook(duckdb_conn_id=conn_id, **duckdb_args)
    if conn_type == "spark_connect":  # SparkConnectHook gives a URL, not a DB-API connection
        return SparkConnectSource.from_connection(conn_id)
    try:
        hook = connection.get_hook()
    except Exception as exc:  # noqa: BLE001 - no provider for this type: the same on every retry
        if dialect is None:
            known_dialect(conn_type, f"connection '{conn_id}'")  # an unknown type is named as such
        raise EvalGuardInputError(
            f"connection '{conn_id}' of type {conn_type[:50]!r} has no usable hook: {exc}"
        ) from None
    if not callable(getattr(hook, "get_conn", None)):
        raise EvalGuardInputError(
            f"connection '{conn_id}' of type {conn_type[:50]!r} is not a DB-API (common.sql) hook"
        )
    return hook
