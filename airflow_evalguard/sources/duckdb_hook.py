"""DuckDBHook: an embedded DuckDB database as a common.sql DbApiHook, for an Airflow connection
of type duckdb (its `host` is the file). The database is opened by duckdb_embedded, with the same
lockdown as the default SqlSource outside Airflow.
"""

from __future__ import annotations

from airflow.providers.common.sql.hooks.sql import DbApiHook

from airflow_evalguard.sources.duckdb_embedded import EmbeddedDuckDB, connect


class DuckDBHook(DbApiHook):
    """A DuckDB file (or `:memory:`). With a connection id, the connection's `host` is the file."""

    conn_name_attr = "duckdb_conn_id"
    default_conn_name = "duckdb_default"
    conn_type = "duckdb"
    hook_name = "DuckDB"
    placeholder = "?"

    def __init__(
        self, *args, database: str | None = None, config: dict | None = None, external_access: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.embedded = EmbeddedDuckDB(database, config, external_access)

    def get_conn(self):
        database = self.embedded.database
        if database is None:
            database = self.get_connection(getattr(self, self.conn_name_attr)).host or None
        return connect(database, self.embedded.config, self.embedded.external_access)

    def get_uri(self) -> str:
        return f"duckdb:///{self.embedded.database or ':memory:'}"
