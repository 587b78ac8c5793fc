"""The sqlglot-rendered SQL on a real PostgreSQL server (the postgres provider's hook, psycopg2):
a user's query as a subquery, "%" in names with and without bound values (psycopg2 reads "%"
as a format character only when given values), and the ROW_NUMBER quartiles that Trino, MySQL
and BigQuery get, computed here on PostgreSQL against numpy."""

import numpy as np
import pandas as pd
import pytest

from tests.integration.test_sql_source_postgres import pg_conn, postgres  # noqa: F401 - fixtures

pytestmark = pytest.mark.integration


def test_a_users_query_and_percent_signs_in_names(postgres, pg_conn):  # noqa: F811
    from airflow_evalguard.sources.sql import SqlSource

    rows = pd.DataFrame(
        {
            "ts": pd.to_datetime(["2026-03-29 00:30", "2026-03-29 01:30", "2026-03-29 02:30"], utc=True),
            "region": ["eu", "eu", "us"],
            "kept": [True, True, False],
        }
    )
    postgres.load("plain", rows)  # the loader formats its own SQL with "%": renamed afterwards
    conn = postgres.connect()
    with conn, conn.cursor() as cur:
        cur.execute('DROP TABLE IF EXISTS "odd% table"')
        cur.execute('ALTER TABLE "plain" RENAME COLUMN "region" TO "100% region"')
        cur.execute('ALTER TABLE "plain" RENAME TO "odd% table"')
    conn.close()
    source = SqlSource(conn_id=pg_conn)
    # the hour needs a bound time zone: the "%" in the names must be doubled for psycopg2
    counts = source.sampling_window_counts("odd% table", dimensions=["100% region"], timezone="Europe/Berlin")
    assert sorted(counts.itertuples(index=False, name=None)) == [(1, "eu", 1), (3, "eu", 1), (4, "us", 1)]
    # no value bound: the text goes to psycopg2 as it is
    query = {"query": 'SELECT "100% region" AS label, 1 AS batch, 2 AS item_id FROM "odd% table" WHERE kept'}
    assert source.label_counts(query).to_dict("records") == [{"batch": 1, "item_id": 2, "label": "eu", "count": 2}]


@pytest.mark.parametrize("method", ["percentile_cont WITHIN GROUP", "row_number interpolation"])
def test_quartile_edges_on_postgres_equal_numpys(postgres, pg_conn, monkeypatch, method):  # noqa: F811
    from airflow_evalguard.sources import sql_engine
    from airflow_evalguard.sources.sql import SqlSource
    from airflow_evalguard.sources.sql_assignment import quartile_edges

    values = np.round(np.random.default_rng(3).gamma(2.0, 40.0, 801), 0)
    postgres.load("lengths", pd.DataFrame({"prompt_len": values}))
    monkeypatch.setitem(sql_engine.QUANTILE_METHODS, "postgres", method)
    distinct, edges = quartile_edges(SqlSource(conn_id=pg_conn), "lengths", "prompt_len")
    assert distinct == len(np.unique(values))
    np.testing.assert_allclose(edges, np.quantile(values, [0, 0.25, 0.5, 0.75, 1]), rtol=1e-12)
