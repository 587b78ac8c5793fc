"""Every parameter that sets how much work a check does is bounded, for every check."""

import pytest

from airflow_evalguard.checks import check_names, get_check
from airflow_evalguard.core.param_limits import MAX_NEIGHBOURS, MAX_RESAMPLES, MAX_SEED
from airflow_evalguard.exceptions import EvalGuardInputError

WORK_PARAMS = {"n_boot": MAX_RESAMPLES, "n_perm": MAX_RESAMPLES, "seed": MAX_SEED, "k": MAX_NEIGHBOURS}
BOUNDED = [
    (check, name, bound)
    for check in check_names()
    for name, bound in WORK_PARAMS.items()
    if name in get_check(check).params
]


def test_the_bounded_parameters_exist():
    assert {name for _, name, _ in BOUNDED} == set(WORK_PARAMS)


@pytest.mark.parametrize(("check", "name", "bound"), BOUNDED)
def test_a_value_past_the_bound_is_refused_and_the_bound_itself_accepted(check, name, bound):
    spec = get_check(check)
    assert spec.resolve_params({name: bound})[name] == bound
    with pytest.raises(EvalGuardInputError, match=name):
        spec.resolve_params({name: bound + 1})


@pytest.mark.parametrize("check", [check for check in check_names() if "seed" in get_check(check).params])
def test_a_negative_seed_is_refused(check):
    with pytest.raises(EvalGuardInputError, match="seed"):
        get_check(check).resolve_params({"seed": -1})
