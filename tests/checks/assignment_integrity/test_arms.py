import numpy as np
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from tests.checks.assignment_integrity.arms_of import arms_of, units


def test_arms_follow_expected_split_order_and_an_empty_arm_counts_zero():
    frame = units(300, 9)
    arms, _ = arms_of(frame, expected_split={"B": 0.4, "A": 0.4, "C": 0.2}, covariates=["language"])
    assert arms.labels == ["B", "A", "C"]
    np.testing.assert_array_equal(arms.counts, [(frame["arm"] == "B").sum(), (frame["arm"] == "A").sum(), 0])
    assert arms.fields["language"].counts[:, 2].sum() == 0 and arms.n == 300


def test_default_split_is_equal_over_observed_arms():
    arms, _ = arms_of(units(100, 10))
    assert arms.split == {"A": 0.5, "B": 0.5}


def test_bad_splits_are_refused():
    with pytest.raises(EvalGuardInputError, match="not in expected_split"):
        arms_of(units(100, 11), expected_split={"A": 1.0})
    with pytest.raises(EvalGuardInputError, match="sum to 1"):
        arms_of(units(100, 11), expected_split={"A": 0.5, "B": 0.6})
    with pytest.raises(EvalGuardInputError, match="one arm only"):
        arms_of(units(100, 11).assign(arm="A"))
