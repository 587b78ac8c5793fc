"""The dialect SqlSource renders for: from the hook (conn_type, then dialect_name) or `dialect=`;
an unknown one is refused naming it and the supported list."""

import duckdb
import pytest
from airflow.providers.common.sql.hooks.sql import DbApiHook

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.specs import resolve_inputs
from airflow_evalguard.sources.sql import SqlSource
from airflow_evalguard.sources.sql_dialects import SUPPORTED, dialect_of, placeholder_for


def _hook(conn_type, dialect_name="default", placeholder="%s"):
    class Hook(DbApiHook):
        conn_name_attr = "x_conn_id"

    Hook.conn_type = conn_type
    Hook.placeholder = placeholder
    hook = Hook()
    hook.__dict__["dialect_name"] = dialect_name  # the cached property, as a URI would give it
    return hook


def test_a_connection_of_an_unknown_dialect_is_refused_with_the_supported_list(monkeypatch, tmp_path):
    monkeypatch.setenv("AIRFLOW_CONN_WAREHOUSE", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(EvalGuardInputError, match="unknown SQL dialect 'sqlite'; supported: postgres, duckdb, spark"):
        resolve_inputs({"label_counts": {"sql": "label_counts", "conn_id": "warehouse", "table": "labels"}})


@pytest.mark.parametrize(
    ("conn_type", "dialect_name", "expected"),
    [
        ("gcpbigquery", "default", "bigquery"),
        ("postgres", "postgresql", "postgres"),
        ("generic", "snowflake", "snowflake"),
        ("jdbc", "trino", "trino"),
        ("redshift", "redshift", "redshift"),
        ("mysql", "mysql", "mysql"),
        ("databricks", "default", "spark"),
    ],
)
def test_the_dialect_comes_from_the_hook(conn_type, dialect_name, expected):
    assert dialect_of(_hook(conn_type, dialect_name)) == expected


def test_dialect_overrides_what_the_hook_says():
    source = SqlSource(hook=_hook("odbc", "mssql", placeholder="?"), dialect="trino")
    assert (source.dialect, source.placeholder) == ("trino", "?")
    with pytest.raises(EvalGuardInputError, match="unknown SQL dialect 'oracle'; supported: " + ", ".join(SUPPORTED)):
        SqlSource(hook=_hook("postgres"), dialect="oracle")


def test_a_hook_of_an_unknown_dialect_is_refused_naming_it():
    with pytest.raises(EvalGuardInputError, match="unknown SQL dialect 'mssql'"):
        SqlSource(hook=_hook("odbc", "mssql"))


def test_spark_has_no_bound_parameters_and_a_hook_placeholder_is_kept_elsewhere():
    assert placeholder_for("spark", _hook("spark")) is None
    assert placeholder_for("trino", _hook("trino", placeholder="?")) == "?"
    assert placeholder_for("postgres", _hook("postgres", placeholder="{}")) == "%s"


def test_a_duckdb_connection_is_the_embedded_database(monkeypatch, tmp_path):
    db = str(tmp_path / "labels.duckdb")
    with duckdb.connect(db) as con:
        con.execute("CREATE TABLE labels AS SELECT 'b' AS batch, 1 AS item_id, 'yes' AS label")
    monkeypatch.setenv("AIRFLOW_CONN_LOCAL_DUCK", f'{{"conn_type": "duckdb", "host": "{db}"}}')
    counts = resolve_inputs({"label_counts": {"sql": "label_counts", "conn_id": "local_duck", "table": "labels"}})
    assert counts["label_counts"].to_dict("records") == [{"batch": "b", "item_id": 1, "label": "yes", "count": 1}]
    assert counts["label_counts"].attrs["evalguard_source"] == {"form": "sql", "dialect": "duckdb"}
