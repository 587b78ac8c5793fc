import pandas as pd
import pytest

from airflow_evalguard.checks import check_names, get_check
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check


def frames():
    ts = pd.date_range("2026-01-01", periods=48, freq="h", tz="UTC")
    return {"sample": pd.DataFrame({"ts": ts}), "reference": pd.DataFrame({"ts": ts})}


def test_registry_lists_sampling_window_with_defaults():
    assert "sampling_window" in check_names()
    described = get_check("sampling_window").describe()
    assert described["params"]["fail_at"]["default"] == 0.2
    assert set(described["inputs"]) == {"sample", "reference"}


def test_unknown_check():
    with pytest.raises(EvalGuardInputError, match="unknown check 'nope'"):
        run_check("nope", {}, {})


def test_unknown_param_is_an_error_not_ignored():
    with pytest.raises(EvalGuardInputError, match=r"unknown param\(s\) \['fail_att'\]"):
        run_check("sampling_window", frames(), {"fail_att": 0.3})


def test_wrong_param_type():
    with pytest.raises(EvalGuardInputError, match="param 'alpha' must be a number"):
        run_check("sampling_window", frames(), {"alpha": "small"})
    with pytest.raises(EvalGuardInputError, match="param 'min_count_per_stratum' must be a int"):
        run_check("sampling_window", frames(), {"min_count_per_stratum": True})


def test_param_out_of_range():
    with pytest.raises(EvalGuardInputError, match="min_coverage"):
        run_check("sampling_window", frames(), {"min_coverage": 1.5})


def test_missing_and_unknown_inputs():
    with pytest.raises(EvalGuardInputError, match=r"missing required input\(s\) \['reference'\]"):
        run_check("sampling_window", {"sample": frames()["sample"]}, {})
    with pytest.raises(EvalGuardInputError, match="unknown input"):
        run_check("sampling_window", {**frames(), "extra": frames()["sample"]}, {})


def test_params_echo_every_default_and_method():
    result = run_check("sampling_window", frames(), {"n_boot": 300})
    spec = get_check("sampling_window")
    for name in spec.params:
        assert name in result.params
    assert result.params["n_boot"] == 300
    assert result.params["weighting"] in ("post_stratification", "raking")
    assert set(result.params["chi2_method"]) == {"hour_of_day"}
