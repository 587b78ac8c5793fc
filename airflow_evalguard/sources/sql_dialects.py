"""Which SQL dialect a connection speaks, and how its driver takes bound values.

Queries are expression trees rendered by sqlglot for one of SUPPORTED dialects. The dialect comes
from the DAG author's `dialect=` when given, else from the hook: its connection type, then the
common.sql `DbApiHook.dialect_name` (the SQLAlchemy name of its URI). A name that maps to none of
them is refused with the supported list: guessing would render identifiers a wrong way.
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError

SUPPORTED = ("postgres", "duckdb", "spark", "bigquery", "snowflake", "trino", "redshift", "mysql")

# Connection types and SQLAlchemy dialect names -> the sqlglot dialect that renders for them.
ALIASES = {
    "postgres": "postgres",
    "postgresql": "postgres",
    "duckdb": "duckdb",
    "spark": "spark",
    "spark_connect": "spark",
    "spark_sql": "spark",
    "databricks": "spark",
    "bigquery": "bigquery",
    "gcpbigquery": "bigquery",
    "snowflake": "snowflake",
    "trino": "trino",
    "redshift": "redshift",
    "mysql": "mysql",
    "mariadb": "mysql",
}

# The DB-API paramstyle of each dialect's usual driver (psycopg2, duckdb, snowflake-connector,
# trino, redshift_connector, mysqlclient, google-cloud-bigquery's dbapi): "%s" drivers read every
# other "%" in the text as a format character, so a rendered query has its "%" doubled there.
# Spark's SQL has no DB-API driver here: its values are literals rendered by sqlglot.
PLACEHOLDERS: dict[str, str | None] = {
    "postgres": "%s",
    "duckdb": "?",
    "spark": None,
    "bigquery": "%s",
    "snowflake": "%s",
    "trino": "?",
    "redshift": "%s",
    "mysql": "%s",
}


def known_dialect(name: Any, what: str) -> str:
    """The sqlglot dialect `name` stands for, or a refusal naming it and the supported list."""
    dialect = ALIASES.get(str(name).lower()) if isinstance(name, str) else None
    if dialect is None:
        raise EvalGuardInputError(
            f"{what}: unknown SQL dialect {str(name)[:50]!r}; supported: {', '.join(SUPPORTED)} "
            f"(pass dialect= to name one of them)"
        )
    return dialect


def _hook_dialect_name(hook: Any) -> str | None:
    try:  # a cached property that builds the hook's URI: it may need the connection
        return getattr(hook, "dialect_name", None)
    except Exception:  # noqa: BLE001 - no URI means no name to read; conn_type was tried first
        return None


def dialect_of(hook: Any, override: str | None = None) -> str:
    """The dialect to render for `hook`: `override`, else its conn_type, else its dialect_name."""
    what = f"hook {type(hook).__name__}"
    if override is not None:
        return known_dialect(override, f"{what} (dialect=)")
    conn_type = getattr(hook, "conn_type", None)
    if isinstance(conn_type, str) and conn_type.lower() in ALIASES:
        return ALIASES[conn_type.lower()]
    name = _hook_dialect_name(hook)
    if isinstance(name, str) and name.lower() in ALIASES:
        return ALIASES[name.lower()]
    return known_dialect(conn_type if name in (None, "default") else name, what)


def placeholder_for(dialect: str, hook: Any) -> str | None:
    """The driver's placeholder: the hook's own when it declares "%s" or "?", else the dialect's."""
    declared = getattr(hook, "placeholder", None)
    if PLACEHOLDERS.get(dialect) is not None and declared in ("%s", "?"):
        return declared
    return PLACEHOLDERS.get(dialect)
