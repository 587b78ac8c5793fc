"""slice_retention.drops against statsmodels' McNemar and scipy's paired t."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.power import TTestPower

from airflow_evalguard.checks.slice_retention import drops, read
from airflow_evalguard.io import TableInput
from tests.checks.slice_retention.helpers import correct_pairs, params, tables
from tests.stats import mcnemar_oracle


def test_correct_drops_per_group_match_statsmodels_mcnemar():
    cells = {"a": (3, 2, 15, 40), "b": (1, 0, 2, 7)}
    sample = read.read(tables(*correct_pairs(cells)), params())
    codes = (sample.slice_values["slice"][0] == "b").to_numpy().astype(np.int64)
    found = drops.drops(sample, codes, 2, params())
    for index, (wrong, fixed, lost, right) in enumerate(cells.values()):
        n = wrong + fixed + lost + right
        assert found.drop[index] == pytest.approx((lost - fixed) / n)  # teacher - student accuracy
        assert found.teacher[index] == pytest.approx((lost + right) / n)
        oracle = mcnemar([[wrong, fixed], [lost, right]], exact=fixed + lost < 25, correction=True).pvalue
        assert found.p[index] == pytest.approx(oracle)
    assert found.spread == pytest.approx((2 + 15 + 0 + 2) / 70)  # discordance over all pairs


def test_score_drops_from_moments_are_scipys_paired_t():
    rng = np.random.default_rng(3)
    teacher = rng.normal(0.7, 0.1, 400)
    student = teacher - 0.02 + rng.normal(0, 0.05, 400)
    diff = teacher - student
    moments = pd.DataFrame(
        {
            "slice": ["a"],
            "count": [400],
            "teacher_sum": [teacher.sum()],
            "student_sum": [student.sum()],
            "diff_sum": [diff.sum()],
            "diff_sumsq": [(diff**2).sum()],
        }
    )
    given = params(metric="score")
    sample = read.read({"moments": TableInput("moments", moments)}, given)
    found = drops.drops(sample, np.zeros(1, dtype=np.int64), 1, given)
    oracle = stats.ttest_rel(teacher, student)
    interval = oracle.confidence_interval(0.95)
    assert found.drop[0] == pytest.approx(diff.mean())
    assert found.p[0] == pytest.approx(oracle.pvalue, rel=1e-6)
    assert (found.lo[0], found.hi[0]) == pytest.approx((interval.low, interval.high), rel=1e-6)
    assert found.spread == pytest.approx(diff.std(ddof=1))


@pytest.mark.parametrize("members", [1, 10])
def test_min_detectable_drop_for_scores_is_the_noncentral_t_power_of_the_paired_t(members):
    # statsmodels' one-tailed t power at half the Holm level: the regression tail of the two-sided test
    spread = 0.05
    for n in (8, 100, 400):
        solved = TTestPower().solve_power(nobs=n, alpha=0.05 / members / 2, power=0.8, alternative="larger")
        assert drops.min_detectable(n, spread, params(metric="score"), members) == pytest.approx(
            solved * spread, rel=1e-5
        )
    assert drops.min_detectable(1, spread, params(metric="score"), members) is None


def test_min_detectable_drop_for_correct_is_where_exact_mcnemar_power_reaches_eighty_percent():
    detectable = drops.min_detectable(40, 0.1, params(), 4)

    def power(drop):
        return mcnemar_oracle.table_power(40, *mcnemar_oracle.alternative(drop, 0.1), 0.05 / 4)

    assert power(detectable) >= 0.8 > power(detectable - 1e-5)
    assert drops.min_detectable(4, 0.1, params(), 4) is None  # four pairs cannot reach p < 0.0125
