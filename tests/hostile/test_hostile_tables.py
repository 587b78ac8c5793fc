"""Random and adversarial tables thrown at every check through `run_check`.

Each example starts from a valid case (tests/hostile/cases.py) and breaks one thing: a column
dropped, emptied, filled with NaN or hostile values, the table emptied or duplicated, a secret
planted in a column the check does not read. Whatever happens, the check either decides (a
verdict, a result JSON without NaN, artifacts written) or refuses with one short input error;
it never crashes, and a planted secret never reaches an output that should not hold it.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_evalguard.checks import check_names
from tests.hostile.hostile_values import PLANTED_EMAIL, PLANTED_SECRET, hostile_column
from tests.hostile.outcome import MAY_HOLD_REJECTED, assert_not_leaked, decide_or_refuse
from tests.hostile.profile import HOSTILE

MUTATIONS = ("drop_column", "nan_column", "hostile_column", "empty_table", "one_row", "duplicated", "shuffled_column")


def _mutate(frame: pd.DataFrame, mutation: str, column: str, data) -> pd.DataFrame:
    if mutation == "drop_column":
        return frame.drop(columns=[column])
    if mutation == "nan_column":
        return frame.assign(**{column: [math.nan] * len(frame)})
    if mutation == "hostile_column":
        return frame.assign(**{column: pd.Series(data.draw(hostile_column(len(frame))), dtype=object)})
    if mutation == "empty_table":
        return frame.iloc[0:0]
    if mutation == "one_row":
        return frame.iloc[:1]
    if mutation == "duplicated":
        return pd.concat([frame, frame], ignore_index=True)
    if mutation == "shuffled_column":
        return frame.assign(**{column: frame[column].sample(frac=1.0, random_state=0).to_numpy()})
    raise AssertionError(mutation)


@settings(HOSTILE, max_examples=200)
@given(data=st.data())
def test_a_broken_table_is_decided_or_refused_never_crashes(cases, data):
    case = cases[data.draw(st.sampled_from(check_names()), label="check")]
    inputs = case.copy_inputs()
    name = data.draw(st.sampled_from(sorted(inputs)), label="input")
    column = data.draw(st.sampled_from(list(inputs[name].columns)), label="column")
    mutation = data.draw(st.sampled_from(MUTATIONS), label="mutation")
    inputs[name] = _mutate(inputs[name], mutation, column, data)
    with tempfile.TemporaryDirectory() as out:
        decide_or_refuse(case.check, inputs, case.params, Path(out) / "out")


@settings(HOSTILE, max_examples=60)
@given(data=st.data())
def test_a_secret_in_a_column_the_check_does_not_read_never_reaches_an_output(cases, data):
    case = cases[data.draw(st.sampled_from(check_names()), label="check")]
    inputs = case.copy_inputs()
    name = data.draw(st.sampled_from(sorted(inputs)), label="input")
    frame = inputs[name]
    rows = data.draw(st.sets(st.integers(0, max(len(frame) - 1, 0)), min_size=1, max_size=5), label="rows")
    notes = pd.Series(["ordinary note"] * len(frame), dtype=object)
    for row in rows:
        notes.iloc[row] = f"contact {PLANTED_EMAIL} key {PLANTED_SECRET}"
    inputs[name] = frame.assign(notes=notes.to_numpy())
    with tempfile.TemporaryDirectory() as out:
        out_dir = Path(out) / "out"
        result = decide_or_refuse(case.check, inputs, case.params, out_dir)
        if result is not None:
            allowed = MAY_HOLD_REJECTED if case.check == "feedback_provenance" else set()
            assert_not_leaked(out_dir, PLANTED_SECRET, allowed)
            assert_not_leaked(out_dir, PLANTED_EMAIL, allowed)
