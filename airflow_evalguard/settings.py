"""Deployment settings, read lazily (importing Airflow's config costs ~2 s, so only when needed).

- `[evalguard] artifact_root`: where artifacts go when a task does not say, else $AIRFLOW_HOME/evalguard.
- `[evalguard] max_decompressed_bytes`: the most bytes one compressed input may expand to (2 GiB).
- `[evalguard] auto_stream_rows`: a parquet path input with more rows than this is aggregated by
  streaming when its check takes aggregates (sources/auto_stream.py; default 5,000,000).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from typing import Any, Protocol

from airflow_evalguard.exceptions import EvalGuardInputError

DEFAULT_MAX_DECOMPRESSED_BYTES = 2 << 30
MAX_DECOMPRESSED_ENV = "EVALGUARD_MAX_DECOMPRESSED_BYTES"
# Above ~5M rows the row path holds more than ~0.6 GiB for a sampling_window reference (about
# 120 bytes a row); below it a typical eval set keeps its row-level outputs (weights per row).
DEFAULT_AUTO_STREAM_ROWS = 5_000_000
AUTO_STREAM_ENV = "EVALGUARD_AUTO_STREAM_ROWS"

# Set by the CLI's --max-decompressed-bytes for the duration of one run.
_max_decompressed_override: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "evalguard_max_decompressed_bytes", default=None
)


class _Config(Protocol):
    def get(self, section: str, key: str, **kwargs: Any) -> str | None: ...


def _airflow_conf() -> _Config:
    """Airflow's configuration; ImportError without Airflow.

    Imported here, not at the top, on purpose: importing Airflow costs seconds, and the CLI reads
    these settings (the byte-count parser, the environment override) without ever needing it.
    """
    try:
        from airflow.sdk import conf as sdk_conf
    except ImportError:  # pragma: no cover - a 3.x before the task SDK exported conf (as compat.py)
        from airflow.configuration import conf as legacy_conf

        return legacy_conf
    return sdk_conf


def default_artifact_root() -> str:
    configured = _airflow_conf().get("evalguard", "artifact_root", fallback=None)
    if configured:
        return configured
    home = os.environ.get("AIRFLOW_HOME") or os.path.expanduser("~/airflow")
    return os.path.join(home, "evalguard")


def parse_byte_count(text: str | int, where: str) -> int:
    """A positive whole number of bytes; anything else is a configuration error naming `where`."""
    try:
        value = int(str(text).strip().replace("_", ""))
    except ValueError:
        raise EvalGuardInputError(f"{where} must be a whole number of bytes, got {text!r}") from None
    if value <= 0:
        raise EvalGuardInputError(f"{where} must be > 0, got {value}")
    return value


@contextlib.contextmanager
def max_decompressed_bytes_set_to(limit: int) -> Iterator[None]:
    token = _max_decompressed_override.set(limit)
    try:
        yield
    finally:
        _max_decompressed_override.reset(token)


def max_decompressed_bytes() -> int:
    """The override (CLI flag), else $EVALGUARD_MAX_DECOMPRESSED_BYTES, else the Airflow option
    `[evalguard] max_decompressed_bytes` (also AIRFLOW__EVALGUARD__MAX_DECOMPRESSED_BYTES), else 2 GiB."""
    override = _max_decompressed_override.get()
    if override is not None:
        return override
    from_env = os.environ.get(MAX_DECOMPRESSED_ENV)
    if from_env:
        return parse_byte_count(from_env, MAX_DECOMPRESSED_ENV)
    try:
        airflow_conf = _airflow_conf()
    except ImportError:  # the checks run without Airflow (notebooks, the CLI in a slim env)
        return DEFAULT_MAX_DECOMPRESSED_BYTES
    configured = airflow_conf.get("evalguard", "max_decompressed_bytes", fallback=None)
    if configured:
        return parse_byte_count(configured, "[evalguard] max_decompressed_bytes")
    return DEFAULT_MAX_DECOMPRESSED_BYTES


def parse_row_count(text: str | int, where: str) -> int:
    """A whole number of rows >= 0 (0 streams every routed parquet input); else an error naming `where`."""
    try:
        value = int(str(text).strip().replace("_", ""))
    except ValueError:
        raise EvalGuardInputError(f"{where} must be a whole number of rows, got {text!r}") from None
    if value < 0:
        raise EvalGuardInputError(f"{where} must be >= 0, got {value}")
    return value


def auto_stream_rows_from_env(override: int | None = None) -> int:
    """The override (CLI flag), else $EVALGUARD_AUTO_STREAM_ROWS, else the default: what the CLI
    reads (it never loads Airflow's config)."""
    if override is not None:
        return override
    from_env = os.environ.get(AUTO_STREAM_ENV)
    return parse_row_count(from_env, AUTO_STREAM_ENV) if from_env else DEFAULT_AUTO_STREAM_ROWS


def auto_stream_rows() -> int:
    """$EVALGUARD_AUTO_STREAM_ROWS, else `[evalguard] auto_stream_rows` (AIRFLOW__EVALGUARD__AUTO_STREAM_ROWS),
    else 5,000,000: the row count above which a routed parquet path is streamed (operators)."""
    if os.environ.get(AUTO_STREAM_ENV):
        return auto_stream_rows_from_env()
    try:
        configured = _airflow_conf().get("evalguard", "auto_stream_rows", fallback=None)
    except ImportError:
        return DEFAULT_AUTO_STREAM_ROWS
    return parse_row_count(configured, "[evalguard] auto_stream_rows") if configured else DEFAULT_AUTO_STREAM_ROWS
