"""SqlSource quotes identifiers the ANSI way, so it runs only where that quoting holds."""

import duckdb
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.specs import resolve_inputs
from airflow_evalguard.sources.sql import SqlSource


@pytest.mark.parametrize("uri", ["mysql://u:p@127.0.0.1:1/db", "sqlite:///tmp/x.db", "spark://127.0.0.1:1"])
def test_a_connection_whose_quoting_differs_is_refused(monkeypatch, uri):
    monkeypatch.setenv("AIRFLOW_CONN_WAREHOUSE", uri)
    with pytest.raises(EvalGuardInputError, match="only on PostgreSQL and DuckDB"):
        resolve_inputs({"label_counts": {"sql": "label_counts", "conn_id": "warehouse", "table": "labels"}})


def test_a_hook_whose_quoting_differs_is_refused():
    from airflow.providers.common.sql.hooks.sql import DbApiHook

    class BigQueryLikeHook(DbApiHook):
        conn_type = "gcpbigquery"
        conn_name_attr = "bq_conn_id"

    with pytest.raises(EvalGuardInputError, match="gcpbigquery"):
        SqlSource(hook=BigQueryLikeHook())


def test_a_duckdb_connection_is_the_embedded_database(monkeypatch, tmp_path):
    db = str(tmp_path / "labels.duckdb")
    with duckdb.connect(db) as con:
        con.execute("CREATE TABLE labels AS SELECT 'b' AS batch, 1 AS item_id, 'yes' AS label")
    monkeypatch.setenv("AIRFLOW_CONN_LOCAL_DUCK", f'{{"conn_type": "duckdb", "host": "{db}"}}')
    counts = resolve_inputs({"label_counts": {"sql": "label_counts", "conn_id": "local_duck", "table": "labels"}})
    assert counts["label_counts"].to_dict("records") == [{"batch": "b", "item_id": 1, "label": "yes", "count": 1}]
