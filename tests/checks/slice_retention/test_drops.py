"""slice_retention.drops against statsmodels' McNemar and scipy's paired t."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar

from airflow_evalguard.checks.slice_retention import drops, read
from airflow_evalguard.io import TableInput
from tests.checks.slice_retention.helpers import correct_pairs, params, tables


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


def test_min_detectable_drop_for_scores_is_the_normal_power_formula():
    spread, n = 0.05, np.array([100, 400])
    expected = (stats.norm.ppf(0.95) + stats.norm.ppf(0.8)) * spread / np.sqrt(n)
    assert drops.min_detectable(n, spread, params(metric="score")) == pytest.approx(expected)
