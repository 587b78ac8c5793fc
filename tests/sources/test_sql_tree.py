"""SQL trees on a real engine (DuckDB): the user's query runs as a subquery and only a read-only
query is accepted; bound values reach the driver in the order of their placeholders."""

import math

import duckdb
import pandas as pd
import pytest
from sqlglot import exp

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.sql import SqlSource
from airflow_evalguard.sources.sql_tree import column, render, table, user_query, value


@pytest.fixture()
def labels_db(tmp_path):
    db = str(tmp_path / "labels.duckdb")
    rows = pd.DataFrame(
        {
            "batch": ["b1", "b1", "b1", "b2", "b2"],
            "item_id": [1, 1, 2, 1, 1],
            "label": ["yes", "no", "yes", "yes", None],
            "ok": [True, True, False, True, True],
        }
    )
    with duckdb.connect(db) as con:
        con.register("rows_df", rows)
        con.execute("CREATE TABLE raw AS SELECT * FROM rows_df")
    return db, rows


def test_a_users_query_runs_as_a_subquery(labels_db):
    db, rows = labels_db
    query = {"query": "SELECT batch, item_id, label FROM raw WHERE ok"}
    counts = SqlSource(database=db).label_counts(query).sort_values(["batch", "item_id", "label"])
    kept = rows[rows["ok"] & rows["label"].notna()]
    expected = kept.groupby(["batch", "item_id", "label"]).size().rename("count").reset_index()
    assert counts.reset_index(drop=True).to_dict("records") == expected.to_dict("records")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT batch FROM raw; DROP TABLE raw", "one statement, not 2"),
        ("DELETE FROM raw", "must be a SELECT, not DELETE"),
        ("WITH gone AS (DELETE FROM raw RETURNING *) SELECT * FROM gone", "only read: it contains DELETE"),
        ("SELECT * INTO stolen FROM raw", "only read: it contains INTO"),
        ("SELECT * FROM raw FOR UPDATE", "only read: it contains LOCK"),
        ("SELEC batch FROM raw", "not valid duckdb SQL"),
        ("", "SQL text"),
    ],
)
def test_only_one_read_only_query_is_accepted(labels_db, text, message):
    db, rows = labels_db
    with pytest.raises(EvalGuardInputError, match=message):
        SqlSource(database=db).label_counts({"query": text})
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw").fetchone() == (len(rows),)


def test_a_table_mapping_takes_only_a_query():
    with pytest.raises(EvalGuardInputError, match="takes only 'query'"):
        table({"query": "SELECT 1", "sql": "DROP TABLE raw"}, "duckdb")


def test_the_query_is_parsed_in_the_connections_dialect():
    assert user_query("SELECT `a b` FROM t", "mysql").selects[0].name == "a b"
    with pytest.raises(EvalGuardInputError, match="not valid postgres SQL"):
        user_query("SELECT `a b` FROM t", "postgres")


def test_values_are_bound_in_the_order_their_placeholders_appear(labels_db):
    db, _ = labels_db
    source = SqlSource(database=db)
    query = (
        exp.select(exp.Alias(this=value("first"), alias=exp.to_identifier("tag")), column("batch"))
        .from_(source.table("raw"))
        .where(exp.EQ(this=column("batch"), expression=value("b2")))
    )
    rendered = render(query, "duckdb", "?")
    assert rendered.parameters == ["first", "b2"] and rendered.sql.count("?") == 2
    assert source.fetch(query).frame.to_dict("records") == [{"tag": "first", "batch": "b2"}] * 2


def test_percent_signs_are_doubled_only_for_a_format_driver_given_values():
    query = exp.select(column("100%"), value(1)).from_(table("t", "postgres"))
    assert render(query, "postgres", "%s").sql == 'SELECT "100%%", %s FROM "t"'
    assert (
        render(exp.select(column("100%")).from_(table("t", "postgres")), "postgres", "%s").sql
        == 'SELECT "100%" FROM "t"'
    )
    assert render(query, "spark", None) == render(
        exp.select(column("100%"), exp.convert(1)).from_(table("t", "spark")), "spark", None
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, None, [1]])
def test_a_value_that_is_not_a_finite_number_or_string_is_refused(bad):
    with pytest.raises(EvalGuardInputError, match="SQL value"):
        value(bad)


def test_a_table_name_keeps_every_part_an_identifier():
    rendered = {d: table('cat.sch.t "x`', d).sql(d) for d in ("postgres", "mysql", "bigquery")}
    assert rendered == {
        "postgres": '"cat"."sch"."t ""x`"',
        "mysql": '`cat`.`sch`.`t "x```',
        "bigquery": '`cat`.`sch`.`t "x\\``',
    }


@pytest.mark.parametrize(
    "text",
    [
        "SELECT content AS batch, 1 AS item_id, 'x' AS label FROM read_text('/etc/hostname')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT getenv('HOME') AS batch, 1 AS item_id, 'x' AS label",
    ],
)
def test_a_users_query_cannot_read_files_or_the_environment_on_the_locked_database(text):
    with pytest.raises(EvalGuardInputError, match="external access is off|does not exist"):
        SqlSource().label_counts({"query": text})
