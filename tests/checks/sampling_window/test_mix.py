import numpy as np
import pytest
from scipy.stats import chi2_contingency
from statsmodels.stats.multitest import multipletests

from airflow_evalguard.checks.sampling_window.mix import mix_part
from airflow_evalguard.core.compose import compose
from airflow_evalguard.verdicts import Verdict
from tests.checks.sampling_window.strata import rows, strata

RNG = np.random.default_rng(0)
REFERENCE = rows(list(RNG.integers(0, 24, 4000)), list(RNG.choice(["us", "eu"], 4000)))


def test_chi2_p_and_plugin_tvd_match_scipy_and_the_definition():
    sample = rows(list(RNG.integers(6, 18, 600)), list(RNG.choice(["us", "eu"], 600, p=[0.7, 0.3])))
    read, params = strata(sample, REFERENCE, dimensions=["region"])
    test = mix_part(read, 1, params)
    table = np.vstack([read.sample_margins[1], read.reference_margins[1]])
    assert test.method == "chi2_contingency"
    assert test.p_value == pytest.approx(chi2_contingency(table, correction=False).pvalue, rel=1e-9)
    shares = table / table.sum(axis=1, keepdims=True)
    assert test.part.metrics["tvd_plugin[region]"].value == pytest.approx(0.5 * np.abs(shares[0] - shares[1]).sum())
    assert test.effect.p_metric == "chi2_p_holm[region]" and not test.effect.report


def test_one_compose_call_adjusts_every_mix_test_by_holm():
    sample = rows(list(RNG.integers(8, 20, 500)), list(RNG.choice(["us", "eu"], 500, p=[0.55, 0.45])))
    read, params = strata(sample, REFERENCE, dimensions=["region"])
    tests = [mix_part(read, i, params) for i in range(2)]
    composed = compose([test.part for test in tests], alpha=0.05)
    expected = multipletests([test.p_value for test in tests], method="holm")[1]
    for test, adjusted in zip(tests, expected, strict=True):
        assert composed.metrics[f"chi2_p_holm[{test.name}]"].value == pytest.approx(adjusted)


def test_a_sample_from_half_the_day_fails_on_hour_of_day():
    read, params = strata(rows(list(RNG.integers(0, 12, 2000))), REFERENCE)
    test = mix_part(read, 0, params)
    assert test.distances.tvd == pytest.approx(0.5, abs=0.05)  # half the traffic is missing
    assert compose([test.part], alpha=0.05).verdict is Verdict.FAIL
