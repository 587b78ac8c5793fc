"""Aggregation specs in a gate's inputs: resolved by SqlSource or the streaming reader at run time."""

import json

import pandas as pd
import pytest

from airflow_evalguard.cli_inputs import input_value
from airflow_evalguard.demo.behaviour import refusal_labels
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from airflow_evalguard.sources.specs import is_spec, resolve_inputs
from tests.sources.same import approx_same, duckdb_source, same
from tests.sources.test_assignment_aggregates import PARAMS as ASSIGNMENT
from tests.sources.test_assignment_aggregates import _units


@pytest.fixture
def db(tmp_path):
    base, cand = refusal_labels("sft_strips_refusals", seed=6)
    units = _units(5000, True, seed=6)
    source = duckdb_source(tmp_path, baseline=base, candidate=cand, units=units)
    return source.hook.database, base, cand, units


def test_sql_spec_gives_the_check_its_aggregate(db):
    path, base, cand, _ = db
    spec = {"sql": "refusal_cells", "database": path, "baseline_table": "baseline", "candidate_table": "candidate"}
    assert is_spec(spec) and not is_spec({"a": 1}) and not is_spec("x.parquet")
    inputs = resolve_inputs({"cells": spec})
    same(
        run_check("refusal_regression", {"baseline": base, "candidate": cand}), run_check("refusal_regression", inputs)
    )


def test_an_aggregation_returning_several_tables_fills_each_input(db):
    path, _, _, units = db
    spec = {
        "sql": "assignment_tables",
        "database": path,
        "table": "units",
        "categorical": ["language"],
        "binned": ["prompt_tokens"],
        "numeric": ["prompt_tokens", "y"],
    }
    inputs = resolve_inputs({"arm_counts": spec})
    assert set(inputs) == {"arm_counts", "field_counts", "moments"}
    approx_same(
        run_check("assignment_integrity", {"units": units}, ASSIGNMENT),
        run_check("assignment_integrity", inputs, ASSIGNMENT),
    )
    with pytest.raises(EvalGuardInputError, match="given twice"):
        resolve_inputs({"arm_counts": spec, "moments": inputs["moments"]})


def test_stream_spec(tmp_path):
    base, cand = refusal_labels(None, seed=7)
    paired = base.merge(cand[["prompt_id", "label"]], on="prompt_id", suffixes=("", "_c")).rename(
        columns={"label": "baseline_label", "label_c": "candidate_label"}
    )
    paired.to_parquet(tmp_path / "p.parquet", row_group_size=50)
    inputs = resolve_inputs({"cells": {"stream": "refusal_cells", "path": str(tmp_path / "p.parquet")}})
    streamed = run_check("refusal_regression", inputs)
    same(run_check("refusal_regression", {"baseline": base, "candidate": cand}), streamed)
    assert streamed.params["input_sources"] == {"cells": {"form": "stream"}}  # the result says which form ran


@pytest.mark.parametrize(
    "spec, match",
    [
        ({"sql": "drop_everything"}, "unknown sql aggregation"),
        ({"sql": "refusal_cells", "baseline_table": "b", "candidate_table": "c", "bogus": 1}, "bogus"),
        ({"sql": "refusal_cells", "baseline_table": "b"}, "missing a required argument: 'candidate_table'"),
        ({"stream": "counts"}, "needs 'path'"),
        ({"stream": "eval", "path": "x"}, "unknown stream aggregation"),
        ({"sql": "label_counts", "stream": "counts"}, "not both"),
    ],
)
def test_bad_specs_are_input_errors(spec, match):
    with pytest.raises(EvalGuardInputError, match=match):
        resolve_inputs({"cells": spec})


def test_duckdb_config_reaches_the_embedded_database(db):
    path, base, cand, _ = db
    spec = {
        "sql": "refusal_cells",
        "database": path,
        "baseline_table": "baseline",
        "candidate_table": "candidate",
        "duckdb_config": {"memory_limit": "512MB", "threads": 1},
    }
    same(
        run_check("refusal_regression", {"baseline": base, "candidate": cand}),
        run_check("refusal_regression", resolve_inputs({"cells": spec})),
    )
    from airflow_evalguard.sources.sql import SqlSource

    conn = SqlSource(database=path, duckdb_config={"memory_limit": "512MB"}).hook.get_conn()
    assert conn.execute("SELECT current_setting('memory_limit')").fetchone()[0] in ("488.2 MiB", "512.0 MB", "488.2MiB")


def test_a_spec_argument_of_the_wrong_type_is_bad_input_not_a_crash():
    # Found in review: a list where a table name goes raised AttributeError (CLI exit 4, retried).
    from airflow_evalguard.sources.specs import resolve_inputs

    spec = {"sql": "refusal_cells", "database": ":memory:", "baseline_table": ["labels"], "candidate_table": "x"}
    with pytest.raises(EvalGuardInputError, match="input 'cells'.*a table is a name or .*not list"):
        resolve_inputs({"cells": spec})


def test_a_stream_spec_s_columns_mapping_renames_the_aggregated_table(tmp_path):
    base, cand = refusal_labels(None, seed=7)
    paired = base.merge(cand[["prompt_id", "label"]], on="prompt_id", suffixes=("", "_c")).rename(
        columns={"label": "baseline_label", "label_c": "candidate_label"}
    )
    paired.to_parquet(tmp_path / "p.parquet")
    spec = {"stream": "refusal_cells", "path": str(tmp_path / "p.parquet")}
    plain = resolve_inputs({"cells": spec})["cells"]
    first = str(plain.columns[0])
    mapped = resolve_inputs({"cells": {**spec, "columns": {"renamed": first}}})["cells"]
    assert list(mapped.columns) == ["renamed", *map(str, plain.columns[1:])]
    assert mapped["renamed"].tolist() == plain[first].tolist()
    with pytest.raises(EvalGuardInputError, match=r"input 'cells': 'columns' maps to column\(s\) \['nope'\]"):
        resolve_inputs({"cells": {**spec, "columns": {"renamed": "nope"}}})


def test_a_columns_mapping_on_a_spec_filling_several_tables_is_refused(db):
    path = db[0]
    spec = {"sql": "assignment_tables", "database": path, "table": "units", "categorical": ["language"]}
    with pytest.raises(EvalGuardInputError, match="maps one table"):
        resolve_inputs({"arm_counts": {**spec, "columns": {"arm": "arm"}}})


def test_stream_counts_takes_its_columns_list_as_the_columns_to_count_by(tmp_path):
    # The form the CLI help shows: {"stream": "counts", "path": ..., "columns": [...]}.
    table = pd.DataFrame({"arm": ["a", "b", "a", "a"], "country": ["x", "x", "y", "x"]})
    table.to_parquet(tmp_path / "t.parquet")
    spec = {"stream": "counts", "path": str(tmp_path / "t.parquet"), "columns": ["arm"]}
    counted = resolve_inputs({"arm_counts": spec})["arm_counts"]
    assert dict(zip(counted["arm"], counted["count"], strict=True)) == {"a": 3, "b": 1}
    assert input_value("arm_counts", json.dumps(spec)) == spec  # the CLI accepts it too
    with pytest.raises(EvalGuardInputError, match="'columns' must be a JSON object"):
        resolve_inputs({"cells": {"stream": "refusal_cells", "path": str(tmp_path / "t.parquet"), "columns": ["arm"]}})
