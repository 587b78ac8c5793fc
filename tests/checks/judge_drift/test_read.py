"""judge_drift.read: the frames each input becomes, and the failures counted from them."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.judge_drift import read
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput


def table(name, df):
    return TableInput(name, df)


def test_pairwise_scores_count_both_orders_as_judgments():
    df = pd.DataFrame(
        {"item_id": [1, 2, 3], "judge_model": "j", "winner": ["1", None, "2"], "winner_swapped": ["1", "2", None]}
    )
    frame = read.scores(table("scores", df), "pairwise")
    assert frame["item_id"].tolist() == ["1", "2", "3"] and frame["swapped"].iloc[:2].tolist() == ["1", "2"]
    assert frame["judge"].isna().tolist() == [False, True, False] and pd.isna(frame["swapped"].iloc[2])
    assert read.score_failures(frame) == (2, 6)


def test_score_counts_default_judgments_to_count_and_refuse_too_many_failures():
    counts = read.score_counts(
        table("score_counts", pd.DataFrame({"judge_model": ["a"], "count": [10], "failed": [2]}))
    )
    assert read.count_failures(counts) == (2, 10)
    bad = pd.DataFrame({"judge_model": ["a"], "count": [10], "failed": [5], "judgments": [4]})
    with pytest.raises(EvalGuardInputError, match="more failed judgments than judgments"):
        read.score_counts(table("score_counts", bad))


def test_anchors_mark_flagged_rows_and_need_two_pairs():
    df = pd.DataFrame(
        {"item_id": [1, 2, 3], "reference_score": [1, 2, 3], "score": [1, 2, 3], "parse_error": [False, True, False]}
    )
    anchors = read.anchors(table("anchors", df), "ordinal")
    np.testing.assert_array_equal(anchors.current, [1.0, np.nan, 3.0])
    with pytest.raises(EvalGuardInputError, match="fewer than two anchors"):
        read.anchors(table("anchors", df.assign(parse_error=[True, True, False])), "ordinal")


def test_dual_refuses_unknown_systems_and_pairwise():
    df = pd.DataFrame({"item_id": [1], "system": ["other"], "judge_model": ["j"], "score": [1.0]})
    with pytest.raises(EvalGuardInputError, match="'baseline' or 'candidate'"):
        read.dual(table("dual", df), "ordinal")
    with pytest.raises(EvalGuardInputError, match="needs numeric scores"):
        read.dual(table("dual", df.assign(system="baseline")), "pairwise")


def test_human_needs_the_score_rows():
    df = pd.DataFrame({"item_id": [1], "human_score": [3]})
    with pytest.raises(EvalGuardInputError, match="give 'scores'"):
        read.human(table("human", df), None, "ordinal")
    frame = read.human(table("human", df), pd.DataFrame(), "ordinal")
    assert frame.to_dict("list") == {"item_id": ["1"], "human": [3.0]}


def test_id_column_reads_items_from_the_user_s_column_in_every_input():
    anchors = pd.DataFrame({"item_id": [1, 2, 3], "reference_score": [1, 2, 3], "score": [1, 3, 3]})
    scores = pd.DataFrame({"item_id": [1, 2], "judge_model": "j", "score": [1, 2]})
    human = pd.DataFrame({"item_id": [1, 2], "human_score": [1, 3]})
    dual = pd.DataFrame({"item_id": [1, 1], "system": ["baseline", "candidate"], "judge_model": "j", "score": [1, 2]})
    ours = read.anchors(table("anchors", anchors), "ordinal")
    theirs = read.anchors(table("anchors", anchors.rename(columns={"item_id": "qid"})), "ordinal", "qid")
    np.testing.assert_array_equal(theirs.item_id, ours.item_id)
    judged = read.scores(table("scores", scores.rename(columns={"item_id": "qid"})), "ordinal", "qid")
    pd.testing.assert_frame_equal(judged, read.scores(table("scores", scores), "ordinal"))
    pd.testing.assert_frame_equal(
        read.human(table("human", human.rename(columns={"item_id": "qid"})), judged, "ordinal", "qid"),
        read.human(table("human", human), judged, "ordinal"),
    )
    pd.testing.assert_frame_equal(
        read.dual(table("dual", dual.rename(columns={"item_id": "qid"})), "ordinal", "qid"),
        read.dual(table("dual", dual), "ordinal"),
    )
    with pytest.raises(EvalGuardInputError, match=r"missing column\(s\) \['qid'\]"):
        read.anchors(table("anchors", anchors), "ordinal", "qid")
