"""Data quoted in a message (an error, a log line) goes out only after redaction.

Error messages and logs are read by everyone who can read the DAG's task logs, a wider circle
than the people allowed to see the data itself; a quoted cell value may hold an e-mail address
or a key. Every detector runs (whatever a check's `pii` parameter chose for its own rules).
"""

from __future__ import annotations

from functools import cache

from airflow_evalguard.pii.scanner import PiiScanner


@cache
def _scanner() -> PiiScanner:

    return PiiScanner()


def redacted(text: str) -> str:
    scanner = _scanner()
    return scanner.redact(text, scanner.find(text))
