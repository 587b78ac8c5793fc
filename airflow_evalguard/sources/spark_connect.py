"""Apache Spark through Spark Connect, shaped like the DB-API hook SqlSource expects.

Spark has no DB-API driver: a query runs as `session.sql(text, args=...)` on a Spark Connect
session (`SparkSession.builder.remote("sc://host:port")`), and only its result, the aggregate,
comes back to the worker (as Arrow batches over gRPC). This adapter gives SqlSource the three
things it uses: `get_conn()`, a cursor's `execute` / `description` / `fetchall`, and `close()`.

The URL comes from the apache-spark provider's SparkConnectHook (host, port, token, user id,
use_ssl of an Airflow connection of type `spark_connect`). Each `get_conn()` opens its own
session, stopped on `close()`, so a spec's queries never see another task's temporary views or
settings. The session's time zone is set to UTC: sources.sql_engine reads a Spark TIMESTAMP as
UTC wall-clock before FROM_UTC_TIMESTAMP moves it to the requested zone.

pyspark is imported only when a query runs (never at DAG parse time).
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError

INSTALL = "install airflow-evalguard[spark] (the apache-spark provider with pyspark) on the worker"
SESSION_CONF = {"spark.sql.session.timeZone": "UTC"}


class SparkConnectSource:
    """A Spark Connect server as a hook: `SparkConnectSource(url="sc://127.0.0.1:15002")`, or
    `SparkConnectSource.from_connection(conn_id)` for an Airflow `spark_connect` connection."""

    conn_type = "spark_connect"
    placeholder = None  # values are literals rendered by sqlglot (sources.sql_dialects.PLACEHOLDERS)

    def __init__(self, url: str) -> None:
        self.url = url

    @classmethod
    def from_connection(cls, conn_id: str) -> SparkConnectSource:
        try:
            from airflow.providers.apache.spark.hooks.spark_connect import SparkConnectHook
        except ImportError:  # the same on every retry: the worker lacks the extra
            raise EvalGuardInputError(f"connection '{conn_id}' is a Spark Connect connection: {INSTALL}") from None
        return cls(SparkConnectHook(conn_id=conn_id).get_connection_url())

    def get_conn(self) -> SparkConnection:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise EvalGuardInputError(f"{self.url.split(';')[0]}: {INSTALL}") from None

        # create(), not getOrCreate(): a cached default session may point at another server
        session = SparkSession.builder.remote(self.url).create()
        for key, setting in SESSION_CONF.items():
            session.conf.set(key, setting)
        return SparkConnection(session)


class SparkConnection:
    def __init__(self, session: Any) -> None:
        self.session = session

    def cursor(self) -> SparkCursor:
        return SparkCursor(self.session)

    def close(self) -> None:
        self.session.stop()


class SparkCursor:
    """One statement at a time; its rows are collected when it runs (they are the aggregate)."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.description: list[tuple[str, ...]] | None = None
        self._rows: list[tuple] = []

    def execute(self, sql: str, parameters: Any = None) -> None:
        # Spark takes named (dict, `:name`) or positional (list, `?`) parameters; None for none
        frame = self.session.sql(sql, args=parameters) if parameters else self.session.sql(sql)
        rows = frame.collect()
        self.description = [(name,) for name in frame.columns]
        self._rows = [tuple(row) for row in rows]

    def fetchall(self) -> list[tuple]:
        rows, self._rows = self._rows, []
        return rows
