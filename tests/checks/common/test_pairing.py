"""pairing.pair against pandas' own inner join, and the input errors every paired check needs."""

import pandas as pd
import pytest

from airflow_evalguard.checks.common.pairing import pair
from airflow_evalguard.exceptions import EvalGuardInputError


def sides():
    left = pd.DataFrame({"id": [1, 2, 3, 4], "score": [0.1, 0.2, 0.3, 0.4]})
    right = pd.DataFrame({"id": [4, 3, 2, 1], "score": [1.4, 1.3, 1.2, 1.1]})
    return left, right


def test_same_order_needs_no_join_and_suffixes_the_sides():
    left, _ = sides()
    paired = pair(left, left.assign(score=left["score"] + 1), names=("a", "b"), id_column="id", allow_unpaired=False)
    assert list(paired.frame.columns) == ["id", "score_a", "score_b"]
    assert paired.frame["score_b"].tolist() == pytest.approx([1.1, 1.2, 1.3, 1.4])
    assert paired.unpaired == {"a": 0, "b": 0}


def test_any_order_is_joined_on_the_id_as_pandas_merges():
    left, right = sides()
    paired = pair(left, right, names=("a", "b"), id_column="id", allow_unpaired=False)
    oracle = left.merge(right, on="id", suffixes=("_a", "_b"))
    pd.testing.assert_frame_equal(
        paired.frame.sort_values("id", ignore_index=True), oracle.sort_values("id", ignore_index=True)
    )


def test_unpaired_items_are_an_error_unless_allowed():
    left, right = sides()
    right = right[right["id"] != 2]
    with pytest.raises(EvalGuardInputError, match=r"1 only in 'a': 2 \(set allow_unpaired=true"):
        pair(left, right, names=("a", "b"), id_column="id", allow_unpaired=False)
    paired = pair(left, right, names=("a", "b"), id_column="id", allow_unpaired=True)
    assert paired.unpaired == {"a": 1, "b": 0} and sorted(paired.frame["id"]) == [1, 3, 4]


@pytest.mark.parametrize(
    ("left", "message"),
    [
        (pd.DataFrame({"id": [], "score": []}), "input 'a' is empty"),
        (pd.DataFrame({"id": [1, None], "score": [0.1, 0.2]}), r"column 'id' is missing in rows \[1\]"),
        (
            pd.DataFrame({"id": [1, 1, 2], "score": [0.1, 0.2, 0.3]}),
            r"1 duplicate id\(s\): .*one row per item is required",
        ),
    ],
)
def test_bad_sides(left, message):
    _, right = sides()
    with pytest.raises(EvalGuardInputError, match=message):
        pair(left, right, names=("a", "b"), id_column="id", allow_unpaired=True)


def test_no_shared_ids():
    left, right = sides()
    with pytest.raises(EvalGuardInputError, match="share no id"):
        pair(left, right.assign(id=right["id"] + 10), names=("a", "b"), id_column="id", allow_unpaired=True)
