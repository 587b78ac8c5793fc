"""Stand-in latency sources for LatencyWindowSensor tests (importable by worker and triggerer)."""

from __future__ import annotations

from pathlib import Path


def flip_p99(calls_file: str, after: int, high: float, low: float, latency_class: str, window_s: float) -> float:
    """`high` for the first `after` calls, then `low` (calls counted in a file)."""
    counter = Path(calls_file)
    n = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(n))
    return low if n > after else high


def flip_p99_recording_pid(
    calls_file: str, pid_file: str, after: int, high: float, low: float, latency_class: str, window_s: float
) -> float:
    """As flip_p99, and appends the pid of the process that asked: proves where the wait ran."""
    import os

    with open(pid_file, "a") as fh:
        fh.write(f"{os.getpid()}\n")
    return flip_p99(calls_file, after, high, low, latency_class, window_s)
