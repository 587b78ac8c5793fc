"""The contract's condition language: parsed into data, never evaluated as code."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.contracts.conditions import Clause, evaluate, parse_condition, parse_rule
from airflow_evalguard.exceptions import EvalGuardInputError


def test_parse_rule_from_the_issue():
    rule = parse_rule('when severity == "high" then handoff_target is not null')
    assert rule.when == (Clause("severity", "==", "high"),)
    assert rule.then == (Clause("handoff_target", "is not null"),)


@pytest.mark.parametrize(
    "text,clause",
    [
        ("a != 'x'", Clause("a", "!=", "x")),
        ("score >= 0.5", Clause("score", ">=", 0.5)),
        ("n < 10", Clause("n", "<", 10)),
        ("flag == true", Clause("flag", "==", True)),
        ('tier in ["gold", "silver"]', Clause("tier", "in", ("gold", "silver"))),
        ("code not in [1, 2]", Clause("code", "not in", (1, 2))),
        ("`odd name` is null", Clause("odd name", "is null")),
        ("reason is not empty", Clause("reason", "is not empty")),
        ('msg == "say \\"hi\\""', Clause("msg", "==", 'say "hi"')),
    ],
)
def test_clauses(text, clause):
    assert parse_condition(text) == (clause,)


@pytest.mark.parametrize(
    "text,message",
    [
        ("severity = 'high'", "cannot read condition"),
        ("severity == ", "unexpected end"),
        ("== 'x'", "expected a column name"),
        ("n < 'ten'", "needs a number"),
        ("a == 1 b == 2", "unexpected text"),
        ("__import__('os').system('true')", "cannot read condition"),
        ("a == 1 or b == 2", "unexpected text"),
        ("a ~ 1", "cannot read condition"),
    ],
)
def test_bad_conditions_are_input_errors(text, message):
    with pytest.raises(EvalGuardInputError, match=message):
        parse_condition(text)


def test_rule_needs_when_and_then():
    with pytest.raises(EvalGuardInputError, match="expected 'when'"):
        parse_rule("severity == 'high'")
    with pytest.raises(EvalGuardInputError, match="expected 'then'"):
        parse_rule("when severity == 'high'")


def test_evaluate_masks_with_nulls_never_matching_a_comparison():
    frame = pd.DataFrame(
        {"s": ["high", None, "low", "high"], "n": [1.0, 2.0, np.nan, 5.0], "t": ["x", "  ", None, "y"]}
    )
    assert evaluate(parse_condition('s == "high"'), frame).tolist() == [True, False, False, True]
    assert evaluate(parse_condition("s != 'high'"), frame).tolist() == [False, False, True, False]
    assert evaluate(parse_condition("n >= 2"), frame).tolist() == [False, True, False, True]
    assert evaluate(parse_condition("s is null"), frame).tolist() == [False, True, False, False]
    assert evaluate(parse_condition("t is not empty"), frame).tolist() == [True, False, False, True]
    assert evaluate(parse_condition('s == "high" and n > 2'), frame).tolist() == [False, False, False, True]


def test_evaluate_on_a_missing_column_names_it():
    with pytest.raises(EvalGuardInputError, match="'nope'"):
        evaluate(parse_condition("nope is null"), pd.DataFrame({"a": [1]}))
