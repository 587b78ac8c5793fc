import numpy as np
import pytest
from scipy.stats import ttest_ind

from airflow_evalguard.checks.assignment_integrity.aa import aa_part
from airflow_evalguard.verdicts import Verdict
from tests.checks.assignment_integrity.arms_of import arms_of, units


def test_aa_lift_is_welchs_t_and_a_real_lift_fails():
    frame = units(2000, 7)
    frame = frame.assign(y=frame["y"] + np.where(frame["arm"] == "B", 0.3, 0.0))
    arms, params = arms_of(frame, aa=True, metric="y")
    part = aa_part(arms, params)
    a, b = (frame.loc[frame["arm"] == arm, "y"] for arm in ("A", "B"))
    oracle = ttest_ind(b, a, equal_var=False)
    low, high = oracle.confidence_interval(0.95)
    assert part.metrics["aa_lift"].value == pytest.approx(b.mean() - a.mean())
    assert (part.metrics["aa_lift"].ci_low, part.metrics["aa_lift"].ci_high) == pytest.approx((low, high))
    assert part.validity == (Verdict.FAIL,) and part.findings[0].code == "AA_NONZERO_LIFT"


def test_no_aa_run_no_part():
    arms, params = arms_of(units(200, 8))
    assert aa_part(arms, params).metrics == {}
