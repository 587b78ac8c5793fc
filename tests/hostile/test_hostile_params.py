"""Random and hostile parameters thrown at every check through `run_check`.

Every value a templated DAG param, a `--param` or a params file can deliver: NaN and
infinities (alone or nested in lists and mappings), huge and negative numbers, wrong types,
unknown names. The check decides or refuses with one short input error; a NaN or an infinity
anywhere in the parameters is always refused (it once turned INCONCLUSIVE into PASS).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_evalguard.checks import check_names, get_check
from tests.hostile.outcome import decide_or_refuse
from tests.hostile.profile import HOSTILE

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, -1, 0.5, 1e-12, 1e308]),
)
SCALARS = st.one_of(NUMBERS, st.text(max_size=20), st.booleans(), st.none())
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4), st.dictionaries(st.text(max_size=10), SCALARS, max_size=3))


def _not_finite_inside(value) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return any(_not_finite_inside(item) for item in value)
    if isinstance(value, dict):
        return any(_not_finite_inside(item) for item in value.values())
    return False


@settings(HOSTILE, max_examples=250)
@given(data=st.data())
def test_a_hostile_parameter_is_used_or_refused_never_crashes(cases, data):
    case = cases[data.draw(st.sampled_from(check_names()), label="check")]
    names = sorted(get_check(case.check).params) + ["no_such_param"]
    name = data.draw(st.sampled_from(names), label="param")
    value = data.draw(VALUES, label="value")
    params = {**case.params, name: value}
    with tempfile.TemporaryDirectory() as out:
        result = decide_or_refuse(case.check, case.copy_inputs(), params, Path(out) / "out")
    if _not_finite_inside(value):
        assert result is None, f"{case.check}: {name}={value!r} was accepted ({result.verdict.value})"
