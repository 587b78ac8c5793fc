"""Through the CLI against a real PostgreSQL server: a spec naming a table, schema, database or
column that does not exist exits 2 with one line naming it, never a driver traceback; dotted
names (`schema.table`, `db.schema.table`) that exist run."""

import json

import pytest

from airflow_evalguard.cli import main
from tests.integration.test_sql_source_postgres import pg_conn, postgres  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tables(postgres):  # noqa: F811
    from airflow_evalguard.demo.behaviour import refusal_labels

    base, cand = refusal_labels("sft_strips_refusals")
    with postgres.connect() as conn, conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS evals")
        for name, frame in (("public.baseline", base), ("evals.candidate", cand)):
            cur.execute(f"DROP TABLE IF EXISTS {name}")
            cur.execute(f"CREATE TABLE {name} (prompt_id text, category text, expected text, label text)")
            rows = frame[["prompt_id", "category", "expected", "label"]].astype(str).itertuples(index=False)
            cur.executemany(f"INSERT INTO {name} VALUES (%s, %s, %s, %s)", list(rows))
        conn.commit()


def run_cells(conn_id, tmp_path, **spec):
    cells = {"sql": "refusal_cells", "conn_id": conn_id, "baseline_table": "public.baseline", **spec}
    return main(["run", "refusal_regression", "--input", f"cells={json.dumps(cells)}", "--out", str(tmp_path / "o")])


@pytest.mark.parametrize("candidate", ["evals.candidate", "postgres.evals.candidate"])
def test_dotted_names_that_exist_run(tables, pg_conn, tmp_path, candidate):  # noqa: F811
    assert run_cells(pg_conn, tmp_path, candidate_table=candidate) == 1  # the fault is caught


@pytest.mark.parametrize(
    "spec, named",
    [
        ({"candidate_table": "no_such_table"}, 'relation "no_such_table" does not exist'),
        ({"candidate_table": "evals.no_such_table"}, 'relation "evals.no_such_table" does not exist'),
        ({"candidate_table": "no_schema.candidate"}, 'relation "no_schema.candidate" does not exist'),
        ({"candidate_table": "otherdb.evals.candidate"}, "cross-database references are not implemented"),
        ({"candidate_table": "evals.candidate", "label": "verdict"}, "column a.verdict does not exist"),
    ],
)
def test_a_missing_table_schema_database_or_column_exits_2(tables, pg_conn, tmp_path, capsys, spec, named):  # noqa: F811
    assert run_cells(pg_conn, tmp_path, **spec) == 2
    err = capsys.readouterr().err
    assert err.startswith("evalguard: error: input 'cells' (sql refusal_cells)"), err
    assert named in err and "Traceback" not in err and len(err.splitlines()) == 1
