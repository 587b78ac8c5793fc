"""labeler_agreement.read: the two forms of the labels, gold, and the batch order."""

import pandas as pd
import pytest

from airflow_evalguard.checks.labeler_agreement.read import batch_order, read
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput


def tables(**frames):
    return {name: TableInput(name, df) for name, df in frames.items()}


def test_rows_drop_missing_labels_and_counts_keep_a_count_column():
    rows = pd.DataFrame(
        {"item_id": [1, 1, 2, 2], "labeler_id": ["a", "b", "a", "b"], "label": [1, None, 2, 2], "batch": 1}
    )
    labels, gold = read(tables(labels=rows))
    assert len(labels) == 3 and gold is None
    counts = pd.DataFrame({"batch": [1, 1], "item_id": [1, 2], "label": ["x", "y"], "count": [2, 3]})
    labels, _ = read(tables(label_counts=counts))
    assert labels["count"].tolist() == [2.0, 3.0]


def test_both_forms_or_duplicate_gold_are_refused():
    rows = pd.DataFrame({"item_id": [1, 1], "labeler_id": ["a", "b"], "label": [1, 2], "batch": 1})
    counts = pd.DataFrame({"batch": [1], "item_id": [1], "label": [1], "count": [2]})
    with pytest.raises(EvalGuardInputError, match="not"):
        read(tables(labels=rows, label_counts=counts))
    with pytest.raises(EvalGuardInputError, match="duplicate item_id"):
        read(tables(labels=rows, gold=pd.DataFrame({"item_id": [1, 1], "label": [1, 2]})))


def test_batch_order_sorted_or_explicit():
    assert batch_order(pd.Series(["b", "a", "c", "a"]), None) == ["a", "b", "c"]
    assert batch_order(pd.Series([2, 1, 3]), ["3", "1", "2"]) == [3, 1, 2]  # given as text, matched by str
    assert batch_order(pd.Series([1, "x"]), None) == [1, "x"]  # mixed types sort as text
    with pytest.raises(EvalGuardInputError, match=r"lacks batch\(es\) \['c'\]"):
        batch_order(pd.Series(["a", "c"]), ["a"])


def test_id_column_reads_items_from_the_user_s_column_in_labels_and_gold():
    rows = pd.DataFrame(
        {"item_id": [1, 1, 2, 2], "labeler_id": ["a", "b", "a", "b"], "label": [1, 2, 2, 2], "batch": 1}
    )
    gold = pd.DataFrame({"item_id": [1, 2], "label": [1, 2]})
    ours = read(tables(labels=rows, gold=gold))
    theirs = read(
        tables(labels=rows.rename(columns={"item_id": "doc"}), gold=gold.rename(columns={"item_id": "doc"})), "doc"
    )
    pd.testing.assert_frame_equal(theirs[0], ours[0])
    pd.testing.assert_frame_equal(theirs[1], ours[1])
    with pytest.raises(EvalGuardInputError, match=r"input 'gold': missing column\(s\) \['doc'\]"):
        read(tables(labels=rows.rename(columns={"item_id": "doc"}), gold=gold), "doc")
