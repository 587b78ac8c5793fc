"""A check that cannot process its inputs refuses them; it does not crash.

Checks are pure functions of their inputs and parameters, so an exception one of them raises
while working on the data (a column mixing strings and numbers, a value no statistic accepts)
is deterministic: the same inputs raise it again on every retry. Such an exception is therefore
an input refusal (CLI exit 2, an Airflow failure without retry), reported in one line that names
the check and what went wrong. The gate stays closed: nothing is stored, no verdict is pushed.

Exceptions that can come from the world rather than from the data (OSError, which covers
ConnectionError, TimeoutError and pyarrow's ArrowIOError; database and S3 client errors, which
are not among the types below) keep propagating unchanged, so they stay retryable.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.pii.messages import redacted

log = logging.getLogger(__name__)

# What pandas, numpy, pyarrow and our own code raise on data they cannot work with.
DATA_FAILURES = (TypeError, ValueError, KeyError, IndexError, ArithmeticError, AttributeError)
MAX_DETAIL_CHARS = 300


@contextmanager
def refusing_unprocessable_inputs(
    check: str, *, what: str | None = None, hint: str = "look for a column holding values of mixed or unexpected types"
) -> Iterator[None]:
    """`what`: who failed, for the message (default: the check)."""
    try:
        yield
    except EvalGuardInputError:
        raise
    except DATA_FAILURES as exc:
        if isinstance(exc, OSError):  # not one of the types above today; kept retryable if it ever is
            raise
        detail = " ".join(str(exc).split())
        if len(detail) > MAX_DETAIL_CHARS:
            detail = detail[:MAX_DETAIL_CHARS] + "..."
        detail = redacted(detail)  # exception texts quote cell values
        # The traceback goes to the log at DEBUG (set the logger to DEBUG to see it when debugging
        # a check); the user sees one line, in the CLI and in the task log alike.
        who = what or f"check '{check}'"
        log.debug("%s could not process its inputs", who, exc_info=True)
        raise EvalGuardInputError(
            f"{who} could not process its inputs ({type(exc).__name__}: {detail}); {hint}"
        ) from exc
