import numpy as np
import pytest
from scipy.stats import chisquare
from statsmodels.stats.power import GofChisquarePower

from airflow_evalguard.checks.assignment_integrity.srm import srm_part, srm_units_needed
from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.stats.srm_power import exact_power
from airflow_evalguard.verdicts import Verdict
from tests.checks.assignment_integrity.arms_of import arms_of, units


def _with_arms(labels):
    frame = units(len(labels), 0)
    return frame.assign(arm=labels)


def test_srm_p_is_scipys_goodness_of_fit_against_the_expected_split():
    arms, params = arms_of(
        _with_arms(["A"] * 300 + ["B"] * 500 + ["C"] * 200), expected_split={"A": 0.3, "B": 0.45, "C": 0.25}
    )
    part = srm_part(arms, params)
    expected = chisquare([300, 500, 200], f_exp=[300, 450, 250]).pvalue
    assert part.metrics["srm_p"].value == pytest.approx(expected)
    assert part.metrics["arm_expected[C]"].value == 250.0


def test_a_clear_mismatch_fails_and_a_small_honest_split_is_inconclusive():
    arms, params = arms_of(_with_arms(["A"] * 600 + ["B"] * 400))
    part = srm_part(arms, params)
    assert part.validity == (Verdict.FAIL,) and part.findings[0].code == "SAMPLE_RATIO_MISMATCH"
    arms, params = arms_of(_with_arms(["A"] * 500 + ["B"] * 500))
    part = srm_part(arms, params)
    assert part.validity == (Verdict.INCONCLUSIVE,) and part.findings[0].code == "SRM_UNDERPOWERED"


def test_units_needed_matches_statsmodels_chi_square_power():
    # a 2-point shift of a 50/50 split is Cohen's w = sqrt(2 * 0.02**2 / 0.5) = 0.04
    needed = srm_units_needed(np.array([0.5, 0.5]), 0.001)
    reference = GofChisquarePower().solve_power(effect_size=0.04, nobs=None, alpha=0.001, power=0.8, n_bins=2)
    assert needed == int(np.ceil(reference))


def test_underpowered_srm_names_the_units_in_the_shared_sentence_and_sizes_small_arms_exactly():
    arms, params = arms_of(_with_arms(["A"] * 97 + ["B"] * 3), expected_split={"A": 0.97, "B": 0.03}, srm_alpha=0.05)
    part = srm_part(arms, params)
    [finding] = part.findings
    assert finding.code == "SRM_UNDERPOWERED" and part.validity == (Verdict.INCONCLUSIVE,)
    assert SIZED_FOR.search(finding.message)
    assert "2-point share shift from arm A (97.0%) to arm B (3.0%)" in finding.message
    assert "exact binomial enumeration" in finding.message
    need = part.metrics["srm_units_needed"].value
    # the size is the test's own: 80% power at it, by every binomial outcome
    assert exact_power(need, np.array([0.97, 0.03]), np.array([0.95, 0.05]), 0.05) >= 0.8
    assert need == srm_units_needed(np.array([0.97, 0.03]), 0.05)
