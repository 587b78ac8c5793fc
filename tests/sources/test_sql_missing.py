"""A spec naming a table or column the database does not have fails the same way on every retry:
an input error naming the input and what is missing (DuckDB here; PostgreSQL in
tests/integration/test_sql_source_postgres.py)."""

import duckdb
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.specs import resolve_inputs


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "x.duckdb")
    with duckdb.connect(path) as con:
        con.execute("CREATE TABLE labels (batch TEXT, item_id INTEGER, label TEXT)")
        con.execute("CREATE TABLE scores (judge_model TEXT, score TEXT)")
        con.execute("INSERT INTO scores VALUES ('j', 'not a number')")
    return path


@pytest.mark.parametrize(
    "spec, named",
    [
        ({"sql": "label_counts", "table": "no_such_table"}, "no_such_table does not exist"),
        ({"sql": "label_counts", "table": "labels", "label": "verdict"}, 'column "verdict" not found'),
        ({"sql": "rubric_item_sums", "table": "scores"}, '"item_id" not found'),
        (
            {"sql": "paired_moments", "left_table": "scores", "right_table": "scores", "id_column": "judge_model"},
            "Could not convert string 'not a number'",
        ),
    ],
)
def test_a_missing_table_or_column_is_an_input_error(db, spec, named):
    with pytest.raises(EvalGuardInputError) as caught:
        resolve_inputs({"in_put": {**spec, "database": db}})
    message = str(caught.value)
    assert message.startswith(f"input 'in_put' (sql {spec['sql']})") and named in message
    assert caught.value.input_name == "in_put" and "\n" not in message and len(message) < 400


def test_a_locked_database_stays_retryable(db):
    """Another process writing the file: a retry may pass, so not an input error."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({db!r}); print('open', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(duckdb.IOException, match="lock"):
            resolve_inputs({"labels": {"sql": "label_counts", "table": "labels", "database": db}})
    finally:
        holder.kill()
        holder.wait()
