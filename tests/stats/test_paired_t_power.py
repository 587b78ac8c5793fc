"""stats.paired_t_power against statsmodels' TTestPower and a simulation of scipy's ttest_rel."""

import numpy as np
import pytest
from scipy.stats import ttest_rel
from statsmodels.stats.power import TTestPower

from airflow_evalguard.stats.paired_t_power import paired_t_min_detectable, paired_t_pairs_needed, paired_t_power


@pytest.mark.parametrize(
    ("pairs", "drop", "sd", "level"), [(10, 0.05, 0.08, 0.05), (100, 0.01, 0.05, 0.001), (3, 0.2, 0.1, 0.05)]
)
def test_power_is_statsmodels_one_tail_at_half_the_level(pairs, drop, sd, level):
    # the check's test is two-sided; only the regression tail counts as detecting the drop
    expected = TTestPower().power(effect_size=drop / sd, nobs=pairs, alpha=level / 2, alternative="larger")
    assert paired_t_power(pairs, drop=drop, sd=sd, level=level) == pytest.approx(expected, rel=1e-9)


def test_power_matches_a_simulation_of_the_paired_t_test():
    rng = np.random.default_rng(11)
    pairs, drop, sd = 15, 0.04, 0.06
    teacher = rng.normal(0.7, 0.1, (4000, pairs))
    student = teacher - drop + rng.normal(0, sd, (4000, pairs))
    result = ttest_rel(teacher, student, axis=1)
    simulated = np.mean((result.pvalue < 0.05) & (result.statistic > 0))
    assert simulated == pytest.approx(paired_t_power(pairs, drop=drop, sd=sd, level=0.05), abs=3 * np.sqrt(0.25 / 4000))


def test_pairs_needed_and_min_detectable_invert_each_other():
    needed = paired_t_pairs_needed(0.02, sd=0.05, level=0.01)
    assert (
        paired_t_power(needed, drop=0.02, sd=0.05, level=0.01)
        >= 0.8
        > paired_t_power(needed - 1, drop=0.02, sd=0.05, level=0.01)
    )
    detectable = paired_t_min_detectable(needed, sd=0.05, level=0.01)
    assert detectable <= 0.02 and paired_t_power(needed, drop=detectable, sd=0.05, level=0.01) == pytest.approx(0.8)
    solved = TTestPower().solve_power(nobs=needed, alpha=0.005, power=0.8, alternative="larger")
    assert detectable == pytest.approx(solved * 0.05, rel=1e-5)


def test_no_size_without_a_drop_or_a_spread():
    assert paired_t_pairs_needed(0.0, sd=0.05, level=0.05) is None
    assert paired_t_pairs_needed(0.02, sd=0.0, level=0.05) is None
    assert paired_t_pairs_needed(0.02, sd=float("nan"), level=0.05) is None
    assert paired_t_pairs_needed(1e-9, sd=1.0, level=0.05) is None  # far beyond the cap
    assert paired_t_min_detectable(1, sd=0.05, level=0.05) is None
    assert paired_t_min_detectable(50, sd=0.0, level=0.05) is None
