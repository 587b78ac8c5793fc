"""DuckDBHook: an embedded DuckDB database as a common.sql DbApiHook (the default SqlSource)."""

from __future__ import annotations

from airflow.providers.common.sql.hooks.sql import DbApiHook


class DuckDBHook(DbApiHook):
    """A DuckDB file (or `:memory:`). With a connection id, the connection's `host` is the file."""

    conn_name_attr = "duckdb_conn_id"
    default_conn_name = "duckdb_default"
    conn_type = "duckdb"
    hook_name = "DuckDB"
    placeholder = "?"

    def __init__(self, *args, database: str | None = None, read_only: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.database = database
        self.read_only = read_only

    def get_conn(self):
        import duckdb

        path = self.database
        if path is None:
            path = self.get_connection(getattr(self, self.conn_name_attr)).host or ":memory:"
        return duckdb.connect(path, read_only=self.read_only)

    def get_uri(self) -> str:
        return f"duckdb:///{self.database or ':memory:'}"
