"""PollingTrigger: the triggerer's side of LatencyWindowSensor and SampleCoverageSensor."""

import asyncio
import datetime as dt
import time

from airflow_evalguard.triggers.polling import PollingTrigger

LATENCY = "airflow_evalguard.triggers.latency_window:outside_windows_and_calm"


async def first_event(trigger, timeout=20):
    async def _first():
        async for event in trigger.run():
            return event

    return await asyncio.wait_for(_first(), timeout)


def _window_around_now(minutes_before=5, minutes_after=60) -> str:
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(minutes=minutes_before), now + dt.timedelta(minutes=minutes_after)
    return f"{start:%H:%M}-{end:%H:%M}"


def _window_away_from_now() -> str:
    now = dt.datetime.now(dt.UTC)
    start, end = now + dt.timedelta(hours=3), now + dt.timedelta(hours=4)
    return f"{start:%H:%M}-{end:%H:%M}"


def test_round_trips_through_serialize():
    trigger = PollingTrigger(LATENCY, {"windows": ["07:00-11:00"], "timezone": "UTC"}, 5.0, 123.0)
    path, kwargs = trigger.serialize()
    assert path == "airflow_evalguard.triggers.polling.PollingTrigger"
    assert PollingTrigger(**kwargs).serialize() == (path, kwargs)


def test_fires_when_the_latency_source_calms_down(tmp_path):
    calls = tmp_path / "calls"
    kwargs = {
        "windows": [_window_away_from_now()],
        "timezone": "UTC",
        "latency_callable": "tests.latency_source:flip_p99",
        "callable_kwargs": {"calls_file": str(calls), "after": 2, "high": 4000.0, "low": 800.0},
        "slo_ms": 1500.0,
        "stable_for_s": 300.0,
    }
    event = asyncio.run(first_event(PollingTrigger(LATENCY, kwargs, 0.05)))
    assert event.payload["status"] == "done" and event.payload["p99_ms"] == 800.0
    assert event.payload["polls"] == 3 and int(calls.read_text()) == 3


def test_times_out_inside_a_protected_window():
    kwargs = {"windows": [_window_around_now()], "timezone": "UTC"}
    t0 = time.time()
    event = asyncio.run(first_event(PollingTrigger(LATENCY, kwargs, 0.1, deadline=time.time() + 0.5)))
    assert event.payload["status"] == "timeout" and time.time() - t0 < 5


def test_a_failing_source_is_retried_not_fatal(tmp_path):
    kwargs = {
        "windows": [_window_away_from_now()],
        "timezone": "UTC",
        "latency_callable": "tests.latency_source:does_not_exist",
        "slo_ms": 1.0,
    }
    event = asyncio.run(first_event(PollingTrigger(LATENCY, kwargs, 0.05, deadline=time.time() + 0.4)))
    assert event.payload["status"] == "timeout" and event.payload["polls"] >= 2
