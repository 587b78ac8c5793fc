import logging

import pytest

from airflow_evalguard.compat import AirflowFailException, AirflowSkipException
from airflow_evalguard.gate import EvalGateFailed, apply_gate, outcome_for, validate_outcome
from airflow_evalguard.verdicts import Verdict


def test_defaults_fail_closed():
    assert outcome_for(Verdict.FAIL, "fail_no_retry", "warn", "fail_no_retry") == "fail_no_retry"
    with pytest.raises(AirflowFailException):
        apply_gate(Verdict.FAIL, "bad")
    with pytest.raises(AirflowFailException):
        apply_gate(Verdict.INCONCLUSIVE, "unknown")


def test_pass_and_default_warn_succeed(caplog):
    with caplog.at_level(logging.INFO):
        apply_gate(Verdict.PASS, "fine")
        apply_gate(Verdict.WARN, "meh")
    assert "EvalGuard verdict WARN: meh" in caplog.text


@pytest.mark.parametrize(
    "outcome, exc",
    [("fail", EvalGateFailed), ("fail_no_retry", AirflowFailException), ("skip", AirflowSkipException)],
)
def test_each_outcome(outcome, exc):
    with pytest.raises(exc, match="EvalGuard verdict FAIL"):
        apply_gate(Verdict.FAIL, "x", on_fail=outcome)
    with pytest.raises(exc):
        apply_gate(Verdict.WARN, "x", on_warn=outcome)
    with pytest.raises(exc):
        apply_gate(Verdict.INCONCLUSIVE, "x", on_inconclusive=outcome)


def test_plain_fail_is_retryable_not_fail_fast():
    assert not issubclass(EvalGateFailed, AirflowFailException)


def test_warn_outcome_on_fail_succeeds():
    apply_gate(Verdict.FAIL, "x", on_fail="warn")


def test_bad_outcome_name():
    with pytest.raises(ValueError, match="on_fail must be one of"):
        validate_outcome("on_fail", "explode")
