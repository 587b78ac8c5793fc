"""Which files an embedded DuckDB may open, and how.

A spec's `database=` and `temp_directory` come from a rendered template (params, dag_run.conf),
so they must not create or write files wherever the worker can: an existing DuckDB file is
opened read-only, and only inside `[evalguard] duckdb_directory` (Airflow config, read when the
gate runs) may a database be created or written, or DuckDB spill its temporary files.
"""

from __future__ import annotations

import configparser
import os
import re
import sys

from airflow_evalguard.exceptions import EvalGuardInputError

MEMORY = ":memory:"
ENV_VARIABLE = "AIRFLOW__EVALGUARD__DUCKDB_DIRECTORY"
# DuckDB reads `md:...`, `s3://...` and the like as remote databases, not as file names.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def configured_directory() -> str | None:
    directory = _configured()
    return os.path.realpath(directory) if directory else None


def _configured() -> str | None:
    """`[evalguard] duckdb_directory`: from Airflow's config once Airflow is loaded (a worker, the
    CLI after an Airflow import); before that, without importing Airflow (seconds, for a notebook's
    DuckDB spec), from where Airflow reads it first: its environment variable, then airflow.cfg.
    A source Airflow would also read (a _cmd or _secret variant) is not seen there: the setting
    only widens where a database may be written, so missing it keeps the database read-only."""
    if "airflow.sdk" in sys.modules or "airflow.configuration" in sys.modules:
        from airflow.sdk import conf

        return conf.get("evalguard", "duckdb_directory", fallback=None)
    if ENV_VARIABLE in os.environ:
        return os.environ[ENV_VARIABLE]
    home = os.environ.get("AIRFLOW_HOME") or os.path.expanduser("~/airflow")
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(os.environ.get("AIRFLOW_CONFIG") or os.path.join(home, "airflow.cfg"), encoding="utf-8")
    return parser.get("evalguard", "duckdb_directory", fallback=None)


def _inside(path: str, directory: str) -> bool:
    return os.path.commonpath([path, directory]) == directory


def _local_path(value, what: str) -> str:
    if not isinstance(value, str) or not value or "\x00" in value:
        raise EvalGuardInputError(f"{what} {str(value)[:200]!r} is not a file path")
    if _SCHEME.match(value):
        raise EvalGuardInputError(
            f"{what} {value[:200]!r}: only a local DuckDB file is allowed, not a URL or remote database"
        )
    return os.path.realpath(value)


def database_mode(database: str | None) -> tuple[str, bool]:
    """(path, read_only) for DuckDB: memory, a writable file inside the configured directory, or an
    existing file elsewhere, read-only. Anything else is refused before DuckDB touches a file."""
    if database in (None, "", MEMORY):
        return MEMORY, False
    path = _local_path(database, "database")
    directory = configured_directory()
    if directory is not None and _inside(path, directory):
        return path, False
    if os.path.isfile(path):
        return path, True
    where = f"inside {directory}" if directory else "inside [evalguard] duckdb_directory (not configured)"
    raise EvalGuardInputError(
        f"database {database[:200]!r}: no such DuckDB file; a database is opened read-only "
        f"unless it is {where}, the only place where one may be created (Airflow config "
        f"[evalguard] duckdb_directory)"
    )


def temp_directory(value) -> str:
    """DuckDB's spill directory: only inside the configured directory (DuckDB creates it)."""
    path = _local_path(value, "duckdb_config temp_directory")
    directory = configured_directory()
    if directory is None or not _inside(path, directory):
        raise EvalGuardInputError(
            f"duckdb_config temp_directory {str(value)[:200]!r} must be inside "
            f"[evalguard] duckdb_directory ({directory or 'not configured'})"
        )
    return path
