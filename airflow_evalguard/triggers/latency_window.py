"""The condition LatencyWindowSensor waits for: outside the protected windows and, when a latency
source is given, the interactive class under its SLO over the trailing `stable_for_s`.

Stateless on purpose: "under the SLO for the stated time" is asked of the source as "the p99 over
the last `stable_for_s` seconds", so poke, reschedule and deferred modes all give the same answer.
"""

from __future__ import annotations

import datetime as dt


def outside_windows_and_calm(
    windows: list[str],
    timezone: str,
    latency_callable: str | None = None,
    callable_kwargs: dict | None = None,
    slo_ms: float | None = None,
    stable_for_s: float = 600.0,
    latency_class: str = "interactive",
):
    from airflow_evalguard.timewindows import active_window, parse_windows, seconds_until_outside, zone
    from airflow_evalguard.triggers.snapshot_source import import_callable

    tz = zone(timezone)
    parsed = parse_windows(windows)
    now = dt.datetime.now(dt.UTC)
    inside = active_window(now, parsed, tz)
    if inside is not None:
        wait = seconds_until_outside(now, parsed, tz)
        return False, {"reason": f"inside protected window {inside.text} ({timezone}); {wait:.0f} s to go"}, wait
    if latency_callable is None:
        return True, {"reason": f"outside the protected windows {windows} ({timezone})"}, None
    p99 = float(
        import_callable(latency_callable)(latency_class=latency_class, window_s=stable_for_s, **(callable_kwargs or {}))
    )
    if slo_ms is None:  # the sensor requires it with a latency source
        raise ValueError("slo_ms is required with a latency source")
    if p99 <= slo_ms:
        return (
            True,
            {
                "reason": f"outside the protected windows; {latency_class} p99 over the last "
                f"{stable_for_s:.0f} s is {p99:.0f} ms <= SLO {slo_ms:g} ms",
                "p99_ms": p99,
            },
            None,
        )
    return (
        False,
        {
            "reason": f"{latency_class} p99 over the last {stable_for_s:.0f} s is {p99:.0f} ms > SLO {slo_ms:g} ms",
            "p99_ms": p99,
        },
        None,
    )
