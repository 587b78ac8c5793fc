"""feedback_provenance.concentration: HHI and shares by hand, on accepted rows only."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.feedback_provenance import concentration
from airflow_evalguard.verdicts import Verdict

PARAMS = {"max_author_share": 0.3, "max_employee_share": 0.5, "employee_types": ["employee"]}


def _frame():
    return pd.DataFrame(
        {
            "author_id": ["a", "a", "a", "b", "c", "d", "z"],
            "author_type": ["employee", "employee", "customer", "customer", "customer", "customer", "x"],
        }
    )


def test_hhi_and_shares_by_hand_on_accepted_rows():
    rejected = np.array([False] * 6 + [True])  # z is rejected: not part of the accepted set
    part = concentration.part(_frame(), rejected, PARAMS)
    metrics = {name: metric.value for name, metric in part.metrics.items()}
    assert metrics["author_hhi"] == pytest.approx((3 / 6) ** 2 + 3 * (1 / 6) ** 2)
    assert metrics["top_author_share"] == pytest.approx(0.5) and metrics["authors"] == 4
    assert metrics["employee_share"] == pytest.approx(2 / 6)
    assert [finding.code for finding in part.findings] == ["AUTHOR_CONCENTRATION"]
    assert "(3 of 6 rows), above 30.0%" in part.findings[0].message and part.validity == (Verdict.FAIL,)


def test_one_row_per_author_is_never_concentrated_and_employees_fail():
    frame = pd.DataFrame({"author_id": ["a", "b"], "author_type": ["employee", "employee"]})
    part = concentration.part(frame, np.zeros(2, dtype=bool), PARAMS)
    assert [finding.code for finding in part.findings] == ["EMPLOYEE_FEEDBACK"]


def test_nothing_accepted_nothing_measured():
    part = concentration.part(_frame(), np.ones(7, dtype=bool), PARAMS)
    assert part.metrics == {} and part.findings == ()
