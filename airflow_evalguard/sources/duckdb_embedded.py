"""An embedded DuckDB database, locked down: the default SqlSource, without Airflow's SQL hook.

DuckDB runs inside the worker, with the worker's files, network and memory. Its spec comes from
a rendered template (params, dag_run.conf), so by default the database reads nothing but its own
file: no file or URL in table position (DuckDB's replacement scans), no COPY or ATTACH, no
extension installed or autoloaded, no Python variable scanned as a table, and the configuration
is locked once set. Only the DAG author can lift the first four, with the operator argument
`sql_external_access=True`, which is not templated.

This module imports no Airflow SQL code, so a spec run from the CLI or a notebook does not pay
for it (about 4.6 s); duckdb_hook.DuckDBHook wraps it for an Airflow connection.
"""

from __future__ import annotations

import os

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.duckdb_files import database_mode, temp_directory

# What a spec may tune. DuckDB has ~200 settings; among them allow_unsigned_extensions and
# custom_extension_repository would make it download and run native code.
ALLOWED_CONFIG = ("memory_limit", "threads", "max_temp_directory_size", "preserve_insertion_order", "temp_directory")
_NO_EXTENSION_LOADING = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
# Never wanted, trusted or not: a table named like a local Python variable would read that variable.
_ALWAYS = {"python_enable_replacements": False, "allow_community_extensions": False}


def checked_config(config: dict | None) -> dict:
    """The spec's duckdb_config, refused key by key unless allow-listed."""
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise EvalGuardInputError(f"duckdb_config must be a mapping, not {type(config).__name__}")
    for key in config:
        if key not in ALLOWED_CONFIG:
            raise EvalGuardInputError(
                f"duckdb_config key {str(key)[:100]!r} is not allowed; allowed keys: {list(ALLOWED_CONFIG)}"
            )
    out = dict(config)
    if "threads" in out:  # DuckDB starts as many as asked: 20,000 threads from one rendered template
        most = os.cpu_count() or 1
        threads = out["threads"]
        if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= most:
            raise EvalGuardInputError(
                f"duckdb_config threads {str(threads)[:50]!r}: a whole number from 1 to {most} (this worker's CPUs)"
            )
    if "temp_directory" in out:
        out["temp_directory"] = temp_directory(out["temp_directory"])
    return out


class EmbeddedDuckDB:
    """A DuckDB file (or `:memory:`) opened with the lockdown above; `get_conn()` as a DbApiHook's."""

    conn_type = "duckdb"
    placeholder = "?"

    def __init__(self, database: str | None = None, config: dict | None = None, external_access: bool = False) -> None:
        if not isinstance(external_access, bool):
            raise EvalGuardInputError(f"sql_external_access must be True or False, not {external_access!r}")
        self.database = database
        self.external_access = external_access
        # DuckDB runs inside the worker: its memory is the worker's. `{"memory_limit": "1GB"}` makes
        # large joins spill to disk instead (measured: 100M-row join 14 s at 5.9 GiB; 512MB: 32 s at 0.83 GiB).
        self.config = checked_config(config)

    def get_conn(self):
        return connect(self.database, self.config, self.external_access)


def connect(database: str | None, config: dict, external_access: bool):
    import duckdb

    path, read_only = database_mode(database)
    settings = {**config, **_ALWAYS, **({} if external_access else _NO_EXTENSION_LOADING)}
    try:
        conn = duckdb.connect(path, read_only=read_only, config=settings)
    except (duckdb.InvalidInputException, duckdb.ParserException) as exc:  # a bad config value
        raise EvalGuardInputError(f"duckdb_config {config}: {str(exc).splitlines()[0][:300]}") from None
    except duckdb.IOException as exc:
        if "not a valid DuckDB database file" in str(exc):
            raise EvalGuardInputError(f"database {str(database)[:200]!r} is not a DuckDB file") from None
        raise  # a lock held by another process, a full disk: may pass on retry
    if not external_access:
        # Set after connecting: given at connect time it would also forbid setting temp_directory.
        conn.execute("SET enable_external_access = false")
    conn.execute("SET enable_progress_bar = false")  # it would fill the task log
    conn.execute("SET lock_configuration = true")  # nothing run later can loosen the above
    return conn
