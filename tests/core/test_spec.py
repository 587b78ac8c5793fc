"""Parameter validation: a non-finite number never reaches a check (NaN compares False with every
threshold, so a NaN alpha or fail_at would quietly turn a gate's verdict)."""

import math

import pytest

from airflow_evalguard.checks import check_names, get_check
from airflow_evalguard.core.spec import CheckSpec, ParamSpec
from airflow_evalguard.exceptions import EvalGuardInputError

NON_FINITE = [math.nan, math.inf, -math.inf]


def _numeric_params():
    for check in check_names():
        for name, spec in get_check(check).params.items():
            if spec.type in (int, float):
                yield check, name


def _container_params():
    for check in check_names():
        for name, spec in get_check(check).params.items():
            if spec.type in (list, dict):
                yield check, name, spec.type


@pytest.mark.parametrize("value", NON_FINITE, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("check, name", list(_numeric_params()))
def test_every_numeric_param_refuses_non_finite(check, name, value):
    with pytest.raises(EvalGuardInputError, match=f"param '{name}'"):
        get_check(check).resolve_params({name: value})


@pytest.mark.parametrize("value", NON_FINITE, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("check, name, kind", list(_container_params()))
def test_numbers_nested_in_list_and_dict_params_refuse_non_finite(check, name, kind, value):
    nested = [0.1, value] if kind is list else {"slice_a": 0.1, "slice_b": {"deeper": [value]}}
    with pytest.raises(EvalGuardInputError, match=f"param '{name}'.*finite"):
        get_check(check).resolve_params({name: nested})


def test_numpy_floats_are_checked_too():
    import numpy as np

    with pytest.raises(EvalGuardInputError, match="finite"):
        get_check("sampling_window").resolve_params({"alpha": np.float32("nan")})
    with pytest.raises(EvalGuardInputError, match="finite"):
        get_check("latency_tail").resolve_params({"quantiles": np.array([0.5, np.inf]).tolist()})


def test_finite_values_still_pass():
    resolved = get_check("judge_drift").resolve_params({"max_shift": [0.1, 0.3], "alpha": 0.01})
    assert resolved["max_shift"] == [0.1, 0.3] and resolved["alpha"] == 0.01


def test_every_registered_default_is_valid():
    for check in check_names():
        spec = get_check(check)
        assert spec.resolve_params({}) == {n: p.default for n, p in spec.params.items()}


def _spec(**params):
    return CheckSpec("demo", "demo", {}, params, decide="airflow_evalguard.run:run_check")


def test_a_bad_default_cannot_slip_through():
    with pytest.raises(EvalGuardInputError, match="param 'alpha'.*finite"):
        _spec(alpha=ParamSpec(math.nan, float, "a level"))
    with pytest.raises(EvalGuardInputError, match="param 'cuts'.*finite"):
        _spec(cuts=ParamSpec({"eu": [0.1, math.inf]}, dict, "per slice"))
    with pytest.raises(EvalGuardInputError, match="param 'cut'.*>= 0"):
        _spec(cut=ParamSpec(-1.0, float, "a cut", minimum=0))


def test_number_keys_of_a_mapping_are_checked():
    with pytest.raises(EvalGuardInputError, match="param 'weights'.*finite"):
        get_check("rubric_drift").resolve_params({"weights": {math.nan: 1.0}})


def test_resolve_params_validates_defaults():
    # A default changed after the spec was built is still checked when the check runs.
    param = ParamSpec(0.05, float, "a level", minimum=0, maximum=1)
    spec = _spec(alpha=param)
    object.__setattr__(param, "default", math.inf)
    with pytest.raises(EvalGuardInputError, match="param 'alpha'.*finite"):
        spec.resolve_params({})


def test_deep_and_shared_values_are_walked_without_recursion_or_blow_up():
    deep = [math.nan]
    for _ in range(50_000):
        deep = [deep]
    with pytest.raises(EvalGuardInputError, match="param 'quantiles'.*finite"):
        get_check("latency_tail").resolve_params({"quantiles": deep})
    shared = [0.1]
    for _ in range(200):  # 2**200 paths through 200 distinct lists: walked once each
        shared = [shared, shared]
    assert get_check("latency_tail").resolve_params({"quantiles": shared})["quantiles"] is shared


@pytest.mark.parametrize(
    "value",
    [
        {"A": "nan", "B": 0.01},
        {"A": "NaN", "B": "NaN"},
        {"A": " inf ", "B": 0.5},
        ["1e999"],
        {"A": __import__("decimal").Decimal("NaN")},
        [__import__("numpy").array(__import__("numpy").nan)],
        __import__("decimal").Decimal("Infinity"),
    ],
)
def test_text_decimal_and_array_nan_inside_params_are_refused(value):
    # Found in review: {"A": "nan", "B": 0.01} as expected_split was read with float() by the
    # check and turned a sample-ratio FAIL into INCONCLUSIVE.
    spec = ParamSpec({}, dict, "split") if isinstance(value, dict) else ParamSpec([], list, "values")
    if not isinstance(value, (dict, list)):
        spec = ParamSpec(0.05, float, "alpha")
    with pytest.raises(EvalGuardInputError, match="finite"):
        spec.validate("p", value)


def test_names_that_read_as_numbers_stay_names():
    # Mapping keys are names (an arm called "inf"), and ordinary text is no number at all.
    assert ParamSpec({}, dict, "split").validate("split", {"inf": 0.5, "nan": 0.5}) == {"inf": 0.5, "nan": 0.5}
    assert ParamSpec([], list, "dims").validate("dims", ["region", "infinite_scroll"]) == ["region", "infinite_scroll"]


def test_describe_names_bounds_and_nullability():
    from airflow_evalguard.core.spec import ParamSpec

    described = ParamSpec(0.05, float, "level", minimum=1e-6, maximum=0.5).describe()
    assert (described["minimum"], described["maximum"]) == (1e-6, 0.5)
    assert "nullable" not in described
    assert ParamSpec(None, str, "x", nullable=True).describe()["nullable"] is True


def test_column_params_name_the_parameter_behind_each_column_the_params_name():
    from airflow_evalguard.checks.sampling_window.spec import SPEC as SAMPLING
    from airflow_evalguard.checks.slice_retention.spec import SPEC as SLICES

    named = SLICES.column_params(SLICES.resolve_params({"slice_columns": ["lang", "topic"], "id_column": "oid"}))
    assert named == {"lang": "slice_columns", "topic": "slice_columns", "oid": "id_column"}
    assert SAMPLING.column_params(SAMPLING.resolve_params({}))["ts"] == "timestamp_column"
