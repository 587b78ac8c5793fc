"""assignment_integrity from units and from its sufficient statistics (arm counts, field x arm
tables, per-arm moments), counted by pandas or pushed down to DuckDB: the same verdict and metrics."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from airflow_evalguard.sources.sql import SqlSource
from tests.sources.same import approx_same

PARAMS = {
    "covariates": ["prompt_tokens", "language"],
    "assembler_inputs": ["prompt_tokens", "language"],
    "aa": True,
    "metric": "y",
    "n_perm": 199,
}


def _units(n: int, leak: bool, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    tokens = rng.lognormal(6.5, 0.8, n).round()
    lang = rng.choice(["en", "de", "fr"], n, p=[0.6, 0.25, 0.15])
    long = tokens > np.quantile(tokens, 0.75)
    p_b = np.where(long, 0.65, 0.45) if leak else np.full(n, 0.5)
    arm = np.where(rng.random(n) < p_b, "B", "A")
    y = rng.normal(0, 1, n)
    tokens[rng.random(n) < 0.01] = np.nan  # some units without a token count
    return pd.DataFrame({"unit_id": np.arange(n), "arm": arm, "prompt_tokens": tokens, "language": lang, "y": y})


def _pandas_aggregates(units: pd.DataFrame) -> dict:
    from airflow_evalguard.checks.assignment_integrity.tables import field_codes

    arm_counts = units.groupby("arm").size().rename("count").reset_index()
    fields = []
    for name in ("prompt_tokens", "language"):
        codes, levels, _ = field_codes(units[name])
        value = pd.Series(np.asarray(levels, dtype=object)[codes])
        fields.append(
            pd.DataFrame({"field": name, "value": value, "arm": units["arm"]})
            .groupby(["field", "value", "arm"])
            .size()
            .rename("count")
            .reset_index()
        )
    moments = []
    for name in ("prompt_tokens", "y"):
        x = units[name]
        moments.append(
            units.assign(x2=x * x)
            .groupby("arm")
            .agg(count=(name, "count"), sum=(name, "sum"), sum_sq=("x2", "sum"))
            .reset_index()
            .assign(column=name)
        )
    return {"arm_counts": arm_counts, "field_counts": pd.concat(fields), "moments": pd.concat(moments)}


@pytest.mark.parametrize("leak", [False, True])
def test_units_equal_aggregates_counted_by_pandas_and_pushed_down_to_duckdb(leak, tmp_path):
    units = _units(20_000, leak, seed=11)
    from_units = run_check("assignment_integrity", {"units": units}, PARAMS)
    approx_same(from_units, run_check("assignment_integrity", _pandas_aggregates(units), PARAMS))
    db = str(tmp_path / "units.duckdb")
    with duckdb.connect(db) as con:
        con.register("u", units)
        con.execute("CREATE TABLE units AS SELECT * FROM u")
    pushed = SqlSource(database=db).assignment_tables(
        "units", categorical=["language"], binned=["prompt_tokens"], numeric=["prompt_tokens", "y"]
    )
    from_sql = run_check("assignment_integrity", pushed, PARAMS)
    approx_same(from_units, from_sql)
    if leak:  # (without one, a false leak finding at alpha is possible: the calibration suite counts those)
        assert from_sql.verdict.value == "FAIL"
        assert any(f.code == "ASSIGNMENT_LEAK" and "prompt_tokens" in f.message for f in from_sql.findings)


def test_bad_aggregates_are_refused():
    units = _units(2000, False, seed=12)
    agg = _pandas_aggregates(units)
    with pytest.raises(EvalGuardInputError, match="either input"):
        run_check("assignment_integrity", {"units": units, "arm_counts": agg["arm_counts"]}, PARAMS)
    with pytest.raises(EvalGuardInputError, match="go with 'arm_counts'"):
        run_check("assignment_integrity", {"units": units, "moments": agg["moments"]}, PARAMS)
    short = agg["field_counts"].iloc[1:]
    with pytest.raises(EvalGuardInputError, match="every unit needs a value"):
        run_check("assignment_integrity", {**agg, "field_counts": short}, PARAMS)
    with pytest.raises(EvalGuardInputError, match="no table for assembler input"):
        run_check("assignment_integrity", {**agg}, {**PARAMS, "assembler_inputs": ["region"]})
    with pytest.raises(EvalGuardInputError, match="neither input 'moments'"):
        run_check("assignment_integrity", {**agg}, {**PARAMS, "covariates": ["region"]})
    stray = pd.concat(
        [agg["moments"], pd.DataFrame([{"column": "y", "arm": "C", "count": 1, "sum": 1.0, "sum_sq": 1.0}])]
    )
    with pytest.raises(EvalGuardInputError, match=r"arm\(s\) \['C'\] have no units"):
        run_check("assignment_integrity", {**agg, "moments": stray}, PARAMS)
    with pytest.raises(EvalGuardInputError, match="whole number"):
        run_check("assignment_integrity", {**agg, "arm_counts": agg["arm_counts"].assign(count=1.5)}, PARAMS)
