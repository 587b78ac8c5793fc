"""paired: periods, the scale check, items complete everywhere, weights (hand-computed)."""

import pandas as pd
import pytest

from airflow_evalguard.checks.rubric_drift.paired import check_scale, paired_means, periods, weights
from airflow_evalguard.exceptions import EvalGuardInputError


def _sums(rows):
    return pd.DataFrame(rows, columns=["criterion", "item_id", "period", "rater_type", "count", "sum", "min", "max"])


def _complete(item, criterion, human=3.0, judge=3.5):
    return [
        (criterion, item, per, kind, 2, 2 * score, score, score)
        for per in ("p1", "p2")
        for kind, score in (("human", human), ("judge", judge))
    ]


def test_paired_means_keep_items_complete_for_every_criterion():
    rows = _complete("i1", "a") + _complete("i1", "b") + _complete("i2", "a", human=2.0) + _complete("i2", "b")
    rows += _complete("i3", "a")  # no ratings for criterion b: dropped
    wide, dropped = paired_means(_sums(rows), "p1", "p2")
    assert dropped == 1
    assert sorted(set(wide.index.get_level_values("item_id"))) == ["i1", "i2"]
    assert wide.loc[("a", "i2")].tolist() == [2.0, 3.5, 2.0, 3.5]  # h_base, j_base, h_cand, j_cand


def test_periods_default_to_the_two_present():
    sums = _sums(_complete("i1", "a"))
    assert periods(sums, {"baseline_period": None, "candidate_period": None}) == ("p1", "p2")
    assert periods(sums, {"baseline_period": "p2", "candidate_period": None}) == ("p2", "p1")
    with pytest.raises(EvalGuardInputError, match="must differ"):
        periods(sums, {"baseline_period": "p1", "candidate_period": "p1"})


def test_scale_check_finds_a_doubled_scale():
    rows = [("a", "i", "p1", "human", 1, 1.0, 1.0, 5.0), ("a", "i", "p2", "human", 1, 1.0, 2.0, 10.0)]
    with pytest.raises(EvalGuardInputError, match="different scales"):
        check_scale(_sums(rows), "p1", "p2", None)
    check_scale(_sums(rows), "p1", "p2", [1, 10])


def test_weights_are_normalised_and_must_name_every_criterion():
    assert weights({}, ["a", "b"]) == {"a": 0.5, "b": 0.5}
    assert weights({"a": 3, "b": 1}, ["a", "b"]) == {"a": 0.75, "b": 0.25}
    with pytest.raises(EvalGuardInputError, match="every criterion"):
        weights({"a": 1}, ["a", "b"])
