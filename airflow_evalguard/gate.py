"""Verdict -> Airflow outcome: fail, fail without retry, skip, or warn and succeed.

A failed check does not get better on retry, so the default for FAIL (and for INCONCLUSIVE:
fail closed) is AirflowFailException. The caller stores the result and pushes it to XCom
before calling `apply_gate`, so the evidence survives whatever this raises.
"""

from __future__ import annotations

import logging

from airflow_evalguard.compat import AirflowException, AirflowFailException, AirflowSkipException
from airflow_evalguard.verdicts import Verdict

OUTCOMES = ("fail", "fail_no_retry", "skip", "warn")
DEFAULT_ON_FAIL = "fail_no_retry"
DEFAULT_ON_WARN = "warn"
DEFAULT_ON_INCONCLUSIVE = "fail_no_retry"


class EvalGateFailed(AirflowException):
    """An ordinary task failure raised by a gate (`on_*="fail"`): the task's retries apply."""


def validate_outcome(name: str, value: str) -> str:
    if value not in OUTCOMES:
        raise ValueError(f"{name} must be one of {OUTCOMES}, got {value!r}")
    return value


def outcome_for(verdict: Verdict, on_fail: str, on_warn: str, on_inconclusive: str) -> str | None:
    """The configured outcome for a verdict; None for PASS."""
    return {
        Verdict.PASS: None,
        Verdict.WARN: on_warn,
        Verdict.FAIL: on_fail,
        Verdict.INCONCLUSIVE: on_inconclusive,
    }[verdict]


def apply_gate(
    verdict: Verdict,
    message: str,
    *,
    on_fail: str = DEFAULT_ON_FAIL,
    on_warn: str = DEFAULT_ON_WARN,
    on_inconclusive: str = DEFAULT_ON_INCONCLUSIVE,
    log: logging.Logger | None = None,
) -> None:
    """Raise (or log) as configured for `verdict`. Returns normally for PASS and for "warn"."""
    log = log or logging.getLogger(__name__)
    outcome = outcome_for(verdict, on_fail, on_warn, on_inconclusive)
    text = f"EvalGuard verdict {verdict.value}: {message}"
    if outcome is None:
        log.info(text)
        return
    if outcome == "warn":
        log.warning(text)
        return
    if outcome == "skip":
        raise AirflowSkipException(text)
    if outcome == "fail":
        raise EvalGateFailed(text)
    raise AirflowFailException(text)
