import numpy as np
import pytest

from airflow_evalguard.checks.sampling_window.coverage import coverage_part, overall_part
from airflow_evalguard.core.compose import compose
from airflow_evalguard.verdicts import Verdict
from tests.checks.sampling_window.strata import rows, strata

REFERENCE = rows([h for h in range(24) for _ in range(50)])  # uniform over the day


def test_coverage_is_the_reference_share_of_well_sampled_hours():
    # 6 rows in each of hours 0-17, 2 rows in hours 18-23: 18 of 24 hours covered at min 5
    sample = rows([h for h in range(18) for _ in range(6)] + [h for h in range(18, 24) for _ in range(2)])
    read, params = strata(sample, REFERENCE)
    test = coverage_part(read, 0, params)
    assert test.coverage == pytest.approx(18 / 24)
    assert test.thin == [read.dims[0].levels.index(str(h)) for h in range(18, 24)]
    assert test.claim is not None and test.claim.if_significant is Verdict.FAIL


def test_full_coverage_adds_no_test():
    read, params = strata(rows([h for h in range(24) for _ in range(5)]), REFERENCE)
    test = coverage_part(read, 0, params)
    assert test.coverage == pytest.approx(1.0) and test.claim is None and test.part.tested == ()


def test_a_one_hour_sample_fails_and_a_tiny_one_is_inconclusive():
    read, params = strata(rows([3] * 500), REFERENCE)
    assert compose([coverage_part(read, 0, params).part], alpha=0.05).verdict is Verdict.FAIL
    # 24 representative rows cannot put 5 in every hour: the shortfall is not evidence of bias
    read, params = strata(rows(list(range(24))), REFERENCE)
    assert compose([coverage_part(read, 0, params).part], alpha=0.05).verdict is Verdict.INCONCLUSIVE


def test_overall_part_takes_the_worst_dimension():
    read, params = strata(rows(list(np.repeat(np.arange(12), 10))), REFERENCE)
    tests = [coverage_part(read, 0, params)]
    part = overall_part(read, tests)
    assert part.metrics["coverage"].value == pytest.approx(0.5)
    assert part.metrics["hours_covered"].value == 12 and part.metrics["hours_in_reference"].value == 24
