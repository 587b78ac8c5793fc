import logging

import pytest

from airflow_evalguard.compat import AirflowFailException, AirflowSkipException
from airflow_evalguard.gate import (
    EvalGateFailed,
    EvalGuardGateFailed,
    EvalGuardGateFailedNoRetry,
    apply_gate,
    outcome_for,
    validate_outcome,
)
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


RESULT = {
    "check": "sampling_window",
    "verdict": "FAIL",
    "summary": "the eval set was sampled at 3 am",
    "findings": [{"severity": "fail", "code": f"CODE_{i}", "message": f"m{i}", "slice": None} for i in range(8)],
    "artifacts": {"result": "s3://b/d/r/t/try_1/result.json", "report": "s3://b/d/r/t/try_1/report.html"},
}


@pytest.mark.parametrize("outcome, no_retry", [("fail", False), ("fail_no_retry", True)])
def test_a_failing_gate_raises_the_typed_exception_with_its_result(outcome, no_retry):
    with pytest.raises(EvalGuardGateFailed) as caught:
        apply_gate(Verdict.FAIL, "the eval set was sampled at 3 am", on_fail=outcome, result=RESULT)
    exc = caught.value
    assert isinstance(exc, AirflowFailException) is no_retry
    assert isinstance(exc, EvalGuardGateFailedNoRetry) is no_retry
    assert str(exc) == "EvalGuard verdict FAIL: the eval set was sampled at 3 am"  # the log line is unchanged
    assert exc.verdict is Verdict.FAIL and exc.check == "sampling_window"
    assert exc.result_uri == RESULT["artifacts"]["result"] and exc.report_uri == RESULT["artifacts"]["report"]
    assert [f["code"] for f in exc.findings] == ["CODE_0", "CODE_1", "CODE_2", "CODE_3", "CODE_4"]
    assert exc.result == RESULT


def test_inconclusive_carries_its_verdict_and_the_summary_page_of_a_summary_gate():
    combined = {"verdict": "FAIL", "gates": {"a": "INCONCLUSIVE"}, "missing": {}, "summary_uri": "/x/summary.html"}
    with pytest.raises(EvalGuardGateFailedNoRetry) as caught:
        apply_gate(Verdict.INCONCLUSIVE, "1 gate(s)", result=combined)
    assert caught.value.verdict is Verdict.INCONCLUSIVE and caught.value.check is None
    assert caught.value.report_uri == "/x/summary.html" and caught.value.result_uri is None


def test_the_exception_survives_pickling_and_airflows_own_serialisation():
    import pickle

    with pytest.raises(EvalGuardGateFailed) as caught:
        apply_gate(Verdict.FAIL, "x", result=RESULT)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is EvalGuardGateFailedNoRetry and str(copy) == str(caught.value)
    assert copy.verdict is Verdict.FAIL and copy.report_uri == RESULT["artifacts"]["report"]
    _, args, kwargs = caught.value.serialize()  # how the task runner hands exceptions on
    assert str(EvalGuardGateFailedNoRetry(*args, **kwargs)) == str(caught.value)


def test_the_old_name_still_catches_a_gate_failure():
    assert EvalGateFailed is EvalGuardGateFailed
