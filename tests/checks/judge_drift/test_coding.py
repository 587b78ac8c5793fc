"""judge_drift.coding: judge outputs read by hand-checked rules (winners, numbers, parse flags, signs)."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.judge_drift.coding import (
    anchor_values,
    judge_outputs,
    numeric_scores,
    parse_error_flags,
    winners,
)
from airflow_evalguard.exceptions import EvalGuardInputError


def test_winners_normalise_spellings_and_keep_missing_verdicts():
    out = winners(pd.Series([1, "2", " TIE ", 1.0, None, "2.0"]), input_name="scores", column="winner")
    assert out.tolist() == ["1", "2", "tie", "1", None, "2"]


def test_winners_outside_the_three_are_an_input_error():
    with pytest.raises(EvalGuardInputError, match=r"outside \{1, 2, tie\}: \['3', 'a'\] \(2 rows\)"):
        winners(pd.Series(["1", "3", "a"]), input_name="scores", column="winner")


def test_numeric_scores_blank_is_a_parse_failure_text_is_an_error():
    out = numeric_scores(pd.Series(["4", " ", None, 2.5]), input_name="scores", column="score")
    assert np.isnan(out.iloc[1]) and np.isnan(out.iloc[2]) and out.iloc[0] == 4.0 and out.iloc[3] == 2.5
    with pytest.raises(EvalGuardInputError, match="must hold numbers"):
        numeric_scores(pd.Series(["good"]), input_name="scores", column="score")


def test_parse_error_flags_read_truthy_text():
    df = pd.DataFrame({"parse_error": [True, False, "yes", "no", None, np.nan, "0", 1, "false"]})
    assert parse_error_flags(df).tolist() == [True, False, True, False, False, False, False, True, False]
    assert parse_error_flags(pd.DataFrame({"x": [1, 2]})).tolist() == [False, False]


def test_judge_outputs_blank_flagged_rows():
    df = pd.DataFrame({"score": [1.0, 2.0, 3.0], "parse_error": [False, True, False]})
    out = judge_outputs(df, "scores", "ordinal", "score")
    assert out.iloc[0] == 1.0 and np.isnan(out.iloc[1]) and out.iloc[2] == 3.0
    pairwise = judge_outputs(
        pd.DataFrame({"winner": ["1", "2"], "parse_error": [True, False]}), "s", "pairwise", "winner"
    )
    assert pairwise.tolist() == [None, "2"]


def test_anchor_values_sign_pairwise_winners():
    signs = anchor_values(pd.Series(["1", "2", "tie", None]), "pairwise", input_name="anchors", column="score")
    np.testing.assert_array_equal(signs, [1.0, -1.0, 0.0, np.nan])
