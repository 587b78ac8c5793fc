"""Exact quartile edges on real engines against numpy (the check's own method on rows): the
engine's percentile and the ROW_NUMBER interpolation used where an engine has none (run here on
DuckDB, as Trino, MySQL and BigQuery would run it); and the method recorded in the result."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.run import run_check
from airflow_evalguard.sources import sql_engine
from airflow_evalguard.sources.specs import resolve_inputs
from airflow_evalguard.sources.sql import SqlSource
from airflow_evalguard.sources.sql_assignment import quartile_edges
from airflow_evalguard.sources.sql_engine import ranked_positions


@pytest.fixture(scope="module")
def lengths_db(tmp_path_factory):
    rng = np.random.default_rng(7)
    values = np.round(rng.lognormal(5, 1, 997), 1)  # ties from the rounding
    values[::50] = np.nan
    frame = pd.DataFrame(
        {
            "prompt_len": values,
            "arm": rng.choice(["a", "b"], len(values)),
            "region": rng.choice(["eu", "us"], len(values)),
        }
    )
    db = str(tmp_path_factory.mktemp("q") / "assign.duckdb")
    with duckdb.connect(db) as con:
        con.register("frame", frame)
        con.execute("CREATE TABLE assignments AS SELECT * FROM frame")
    return db, frame


@pytest.mark.parametrize("method", ["quantile_cont", "row_number interpolation"])
def test_quartile_edges_equal_numpys(lengths_db, monkeypatch, method):
    db, frame = lengths_db
    monkeypatch.setitem(sql_engine.QUANTILE_METHODS, "duckdb", method)
    distinct, edges = quartile_edges(SqlSource(database=db), "assignments", "prompt_len")
    present = frame["prompt_len"].dropna().to_numpy()
    assert distinct == len(np.unique(present))
    np.testing.assert_allclose(edges, np.quantile(present, [0, 0.25, 0.5, 0.75, 1]), rtol=1e-12)


@pytest.mark.parametrize("count", [1, 2, 5, 997])
def test_ranked_positions_interpolate_as_numpy(count):
    values = np.arange(count, dtype=float) ** 2
    probabilities = [0, 0.25, 0.5, 0.75, 1]
    by_rank = {rank + 1: v for rank, v in enumerate(values)}
    got = sql_engine.interpolated(ranked_positions(count, probabilities), by_rank)
    np.testing.assert_allclose(got, np.quantile(values, probabilities), rtol=1e-12)


def test_the_result_says_which_form_and_methods_ran(lengths_db):
    db, _ = lengths_db
    spec = {
        "sql": "assignment_tables",
        "database": db,
        "table": "assignments",
        "categorical": ["region"],
        "binned": ["prompt_len"],
    }
    inputs = resolve_inputs({"arm_counts": spec})
    params = run_check("assignment_integrity", inputs, {"expected_split": {"a": 0.5, "b": 0.5}}).params
    assert params["input_sources"]["field_counts"] == {
        "form": "sql",
        "dialect": "duckdb",
        "quantile_method": "quantile_cont",
        "quantile_exact": True,
    }
    assert params["input_sources"]["arm_counts"] == {"form": "sql", "dialect": "duckdb"}


def test_every_dialect_has_an_exact_hour_and_quantile_method():
    from airflow_evalguard.sources.sql_dialects import SUPPORTED

    assert set(sql_engine.HOUR_METHODS) == set(SUPPORTED) == set(sql_engine.QUANTILE_METHODS)
    assert not any("approx" in method.lower() for method in sql_engine.QUANTILE_METHODS.values())


def test_a_row_without_an_hour_is_refused_not_counted(tmp_path):
    from airflow_evalguard.exceptions import EvalGuardInputError

    db = str(tmp_path / "ts.duckdb")
    with duckdb.connect(db) as con:
        con.execute(
            "CREATE TABLE sample AS SELECT * FROM (VALUES (TIMESTAMPTZ '2026-01-01 10:00:00+00'), (NULL)) t(ts)"
        )
    with pytest.raises(EvalGuardInputError, match="1 row\\(s\\) have no hour of day in 'Europe/Berlin'"):
        SqlSource(database=db).sampling_window_counts("sample", timezone="Europe/Berlin")
