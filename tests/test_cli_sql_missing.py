"""Through the CLI, an aggregation spec naming a table, schema, catalog or column that does not
exist is bad input: exit 2 and one line naming it, never a driver traceback (DuckDB here;
PostgreSQL in tests/integration/test_cli_sql_missing_postgres.py)."""

import json

import duckdb
import pytest

from airflow_evalguard.cli import main
from airflow_evalguard.demo.behaviour import refusal_labels


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """baseline in the main schema, candidate in schema `evals`, in catalog `x` (the file's stem)."""
    path = tmp_path_factory.mktemp("cli_sql") / "x.duckdb"
    base, cand = refusal_labels("sft_strips_refusals")
    with duckdb.connect(str(path)) as con:
        con.register("b", base)
        con.register("c", cand)
        con.execute("CREATE SCHEMA evals")
        con.execute("CREATE TABLE baseline AS SELECT * FROM b")
        con.execute("CREATE TABLE evals.candidate AS SELECT * FROM c")
    return str(path)


def run_cells(database, tmp_path, **spec):
    cells = {"sql": "refusal_cells", "database": database, **spec}
    args = ["run", "refusal_regression", "--input", f"cells={json.dumps(cells)}", "--out", str(tmp_path / "out")]
    return main(args)


@pytest.mark.parametrize(
    "candidate, exit_code",
    [("evals.candidate", 1), ("x.evals.candidate", 1), ("x.main.baseline", 0)],  # the fault FAILs; itself PASSes
)
def test_dotted_names_that_exist_run(database, tmp_path, candidate, exit_code):
    assert run_cells(database, tmp_path, baseline_table="main.baseline", candidate_table=candidate) == exit_code


@pytest.mark.parametrize(
    "spec, named",
    [
        ({"candidate_table": "no_such_table"}, "no_such_table does not exist"),
        ({"candidate_table": "evals.no_such_table"}, "no_such_table does not exist"),
        ({"candidate_table": "no_schema.candidate"}, 'schema "no_schema" does not exist'),
        ({"candidate_table": "no_catalog.evals.candidate"}, 'schema "no_catalog.evals" does not exist'),
        ({"candidate_table": "x.no_schema.candidate"}, 'schema "no_schema" does not exist'),
        ({"candidate_table": "evals.candidate", "label": "verdict"}, 'column named "verdict"'),
        ({"candidate_table": "evals.candidate", "by": "tenant"}, 'column named "tenant"'),
    ],
)
def test_a_missing_table_schema_catalog_or_column_exits_2_naming_it(database, tmp_path, capsys, spec, named):
    assert run_cells(database, tmp_path, **{"baseline_table": "baseline", **spec}) == 2
    err = capsys.readouterr().err
    assert err.startswith("evalguard: error: input 'cells' (sql refusal_cells)"), err
    assert named in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out" / "result.json").exists()
