"""Verdict -> Airflow outcome: fail, fail without retry, skip, or warn and succeed.

A failed check does not get better on retry, so the default for FAIL (and for INCONCLUSIVE:
fail closed) is a failure without retry. The caller stores the result and pushes it to XCom
before calling `apply_gate`, so the evidence survives whatever this raises.

A gate that fails raises `EvalGuardGateFailed` (retried as any task failure, `on_*="fail"`) or
its subclass `EvalGuardGateFailedNoRetry` (also an AirflowFailException, `"fail_no_retry"`),
carrying the verdict, the check, the result and report URIs and the top findings, so an
`on_failure_callback` or a wrapper can act on them without reading XCom (as the Great
Expectations provider's GXValidationFailed does). The message is the one logged before.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from airflow_evalguard.compat import AirflowException, AirflowFailException, AirflowSkipException
from airflow_evalguard.verdicts import Verdict

OUTCOMES = ("fail", "fail_no_retry", "skip", "warn")
DEFAULT_ON_FAIL = "fail_no_retry"
DEFAULT_ON_WARN = "warn"
DEFAULT_ON_INCONCLUSIVE = "fail_no_retry"
TOP_FINDINGS = 5  # the findings an exception carries: the most severe first, as the XCom copy orders them


class EvalGuardGateFailed(AirflowException):
    """A gate's verdict failed the task (`on_*="fail"`: the task's retries apply).

    `result` is the gate's XCom result (or the summary operator's combined result); `result_uri`
    and `report_uri` point at its stored result.json and report (for the summary operator: its
    summary page). `str()` is the message the task log shows.
    """

    def __init__(
        self, message: str, *, verdict: Verdict | str | None = None, result: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.result: dict[str, Any] = dict(result or {})
        self.verdict = Verdict(verdict) if verdict is not None else None
        artifacts = self.result.get("artifacts")
        artifacts = artifacts if isinstance(artifacts, Mapping) else {}
        self.check: str | None = self.result.get("check")
        self.result_uri: str | None = artifacts.get("result")
        self.report_uri: str | None = artifacts.get("report") or self.result.get("summary_uri")
        findings = self.result.get("findings")
        self.findings: list[dict[str, Any]] = list(findings[:TOP_FINDINGS]) if isinstance(findings, list) else []

    def __reduce__(self) -> tuple[Any, ...]:
        # keyword-only fields survive pickling (a task runner may send the exception elsewhere)
        return _rebuild, (type(self), self.message, self.verdict, self.result)


class EvalGuardGateFailedNoRetry(EvalGuardGateFailed, AirflowFailException):
    """A gate's verdict failed the task without retry (`on_*="fail_no_retry"`, the default)."""


def _rebuild(
    cls: type[EvalGuardGateFailed], message: str, verdict: Verdict | None, result: dict[str, Any]
) -> EvalGuardGateFailed:
    return cls(message, verdict=verdict, result=result)


EvalGateFailed = EvalGuardGateFailed  # the name before the failure carried its result


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
    log: Any = None,  # a logging.Logger, or the task's own logger (Airflow's is a structlog logger)
    result: Mapping[str, Any] | None = None,
) -> None:
    """Raise (or log) as configured for `verdict`. Returns normally for PASS and for "warn".

    `result` (the pushed XCom result) travels on the exception a failing gate raises.
    """
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
        raise EvalGuardGateFailed(text, verdict=verdict, result=result)
    raise EvalGuardGateFailedNoRetry(text, verdict=verdict, result=result)
