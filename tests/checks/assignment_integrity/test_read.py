import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.assignment_integrity.read import read_tables
from airflow_evalguard.checks.assignment_integrity.tables import field_codes
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from tests.checks.assignment_integrity.arms_of import params, units


def _aggregates(frame):
    arm_counts = frame.groupby("arm").size().rename("count").reset_index()
    codes, levels, _ = field_codes(frame["language"])
    field_counts = (
        pd.DataFrame({"field": "language", "value": np.asarray(levels, dtype=object)[codes], "arm": frame["arm"]})
        .groupby(["field", "value", "arm"])
        .size()
        .rename("count")
        .reset_index()
    )
    x = frame["prompt_tokens"]
    moments = (
        frame.assign(x2=x * x)
        .groupby("arm")
        .agg(count=("prompt_tokens", "count"), sum=("prompt_tokens", "sum"), sum_sq=("x2", "sum"))
        .reset_index()
        .assign(column="prompt_tokens")
    )
    return {"arm_counts": arm_counts, "field_counts": field_counts, "moments": moments}


def test_units_and_their_aggregates_give_the_same_statistics():
    frame = units(1000, 12)
    given = params(covariates=["prompt_tokens", "language"])
    from_units = read_tables({"units": TableInput("units", frame)}, given, [])
    tables = {name: TableInput(name, table) for name, table in _aggregates(frame).items()}
    from_aggregates = read_tables(tables, given, [])
    assert from_units.arms == from_aggregates.arms
    np.testing.assert_array_equal(from_units.units, from_aggregates.units)
    np.testing.assert_array_equal(from_units.fields["language"].counts, from_aggregates.fields["language"].counts)
    for left, right in zip(from_units.moments["prompt_tokens"], from_aggregates.moments["prompt_tokens"], strict=True):
        assert left.count == right.count and left.total == pytest.approx(right.total)


def test_bad_units_are_refused():
    frame = units(100, 13)
    with pytest.raises(EvalGuardInputError, match="duplicate unit_id"):
        read_tables({"units": TableInput("units", pd.concat([frame, frame.iloc[:1]]))}, params(), [])
    with pytest.raises(EvalGuardInputError, match="covariate 'c' is constant"):
        read_tables({"units": TableInput("units", frame.assign(c=1))}, params(covariates=["c"]), [])


def test_an_assembler_input_without_a_table_is_refused():
    tables = {name: TableInput(name, table) for name, table in _aggregates(units(200, 14)).items()}
    with pytest.raises(EvalGuardInputError, match=r"no table for assembler input\(s\) \['device'\]"):
        read_tables(tables, params(), ["device"])
