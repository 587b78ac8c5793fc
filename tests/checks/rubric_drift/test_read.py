"""read: rows and pre-aggregated sums give the same sufficient statistics (pandas by hand)."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.rubric_drift.read import KEYS, read
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput


def _rows():
    return pd.DataFrame(
        {
            "item_id": [1, 1, 1, 2],
            "criterion": "a",
            "rater_type": [" Human", "human", "judge", "judge"],
            "rater_id": ["h1", "h2", "j", "j"],
            "score": [2.0, 4.0, np.nan, 5.0],
            "period": "p1",
        }
    )


def test_rows_become_count_sum_min_max_per_key():
    sums, missing = read({"ratings": TableInput("ratings", _rows())})
    assert missing == 1
    human = sums[(sums.item_id == "1") & (sums.rater_type == "human")].iloc[0]
    assert (human["count"], human["sum"], human["min"], human["max"]) == (2, 6.0, 2.0, 4.0)
    assert len(sums) == 2  # item 1's judge rating had no score


def test_shards_of_sums_add_up():
    shard = pd.DataFrame(
        {
            "item_id": ["1", "1"],
            "criterion": "a",
            "period": "p1",
            "rater_type": "human",
            "count": [1, 1],
            "sum": [2.0, 4.0],
            "min": [2.0, 4.0],
            "max": [2.0, 4.0],
            "missing": [0, 1],
        }
    )
    sums, missing = read({"item_sums": TableInput("item_sums", shard)})
    assert missing == 1
    assert sums[KEYS + ["count", "sum", "min", "max"]].values.tolist() == [
        ["a", "1", "p1", "human", 2.0, 6.0, 2.0, 4.0]
    ]


def test_bad_rater_type_and_both_forms_are_refused():
    with pytest.raises(EvalGuardInputError, match="'human' or 'judge'"):
        read({"ratings": TableInput("ratings", _rows().assign(rater_type="crowd"))})
    with pytest.raises(EvalGuardInputError, match="either input"):
        read({"ratings": TableInput("ratings", _rows()), "item_sums": TableInput("item_sums", _rows())})


def test_id_column_reads_items_from_the_user_s_column():
    ours, _ = read({"ratings": TableInput("ratings", _rows())})
    renamed = _rows().rename(columns={"item_id": "essay"})
    theirs, missing = read({"ratings": TableInput("ratings", renamed)}, "essay")
    assert missing == 1
    pd.testing.assert_frame_equal(theirs, ours)
    with pytest.raises(EvalGuardInputError, match=r"missing column\(s\) \['item_id'\]"):
        read({"ratings": TableInput("ratings", renamed)})
