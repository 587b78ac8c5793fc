"""Which database errors are the spec's fault (an input error, no retry) and which may pass.

A table or column the spec names that does not exist, or a value the query cannot convert, fails
the same way on every retry: it is an input error naming what the database did not find.
A lost connection, a timeout or a lock is not, and stays a plain (retryable) exception.
"""

from __future__ import annotations

from airflow_evalguard.exceptions import EvalGuardInputError

# SQLSTATE codes (PostgreSQL; psycopg2 `pgcode`, psycopg 3 `sqlstate`) that name the query's inputs.
POSTGRES_INPUT_STATES = {
    "42P01": "undefined table",
    "42703": "undefined column",
    "3F000": "undefined schema",
    "42702": "ambiguous column",
    "42883": "no such function for these column types",
    "42804": "datatype mismatch",
    "42846": "cannot cast",
    "22P02": "invalid text representation",
    "42601": "syntax error",
    # `otherdb.schema.table`: PostgreSQL reads one database per connection, so a three-part name
    # for another database fails the same way on every retry.
    "0A000": "not supported by this database, e.g. a table in another database than the connection's",
}
# DuckDB's exception classes for the same situations.
DUCKDB_INPUT_ERRORS = ("CatalogException", "BinderException", "ConversionException", "ParserException")
# pyspark's: a table, column or function Spark cannot resolve, or text it cannot parse (Spark
# Connect raises pyspark.errors.exceptions.connect.AnalysisException, a subclass of both names).
SPARK_INPUT_ERRORS = ("AnalysisException", "ParseException")
EXTERNAL_ACCESS_HINT = (
    "DuckDB external access is off, so a file or URL cannot be read as a table (the DAG author "
    "may allow it with the operator argument sql_external_access=True)"
)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def as_input_error(exc: BaseException) -> EvalGuardInputError | None:
    """The input error `exc` stands for, or None when a retry might succeed."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "PermissionException" in names and type(exc).__module__.lstrip("_").startswith("duckdb"):
        return EvalGuardInputError(f"{_first_line(exc)}: {EXTERNAL_ACCESS_HINT}")
    if type(exc).__module__.lstrip("_").startswith("duckdb") and names & set(DUCKDB_INPUT_ERRORS):
        return EvalGuardInputError(_first_line(exc))
    if type(exc).__module__.startswith("pyspark") and names & set(SPARK_INPUT_ERRORS):
        return EvalGuardInputError(_spark_message(exc))
    state = getattr(exc, "pgcode", None) or getattr(exc, "sqlstate", None)
    if state in POSTGRES_INPUT_STATES:
        return EvalGuardInputError(f"{_first_line(exc)} ({POSTGRES_INPUT_STATES[state]}, SQLSTATE {state})")
    return None


def _spark_message(exc: BaseException) -> str:
    """Spark's first line ("[TABLE_OR_VIEW_NOT_FOUND] The table or view `x` cannot be found. ...")
    and its SQLSTATE; the JVM stack trace and query plan that follow are left out."""
    try:
        state = exc.getSqlState()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - older pyspark: the message alone
        state = None
    line = _first_line(exc)
    return f"{line} (Spark, SQLSTATE {state})" if state and "SQLSTATE" not in line else f"{line} (Spark)"
