"""Daily protected windows in a time zone, across midnight and DST."""

import datetime as dt

import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.timewindows import active_window, parse_windows, seconds_until_outside, zone

UTC = dt.UTC


def test_inside_and_seconds_until_outside():
    windows, tz = parse_windows(["07:00-11:00"]), zone("Europe/Berlin")
    at_8_local = dt.datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # 08:00 in Berlin (UTC+1)
    assert active_window(at_8_local, windows, tz).text == "07:00-11:00"
    assert seconds_until_outside(at_8_local, windows, tz) == 3 * 3600
    assert seconds_until_outside(dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC), windows, tz) == 0


def test_window_across_midnight_and_adjacent_windows_are_crossed_together():
    windows, tz = parse_windows(["22:00-02:00", "02:00-03:30"]), zone("UTC")
    t = dt.datetime(2026, 11, 30, 23, 15, tzinfo=UTC)
    assert active_window(t, windows, tz).text == "22:00-02:00"
    assert seconds_until_outside(t, windows, tz) == (4 * 60 + 15) * 60


def test_dst_change_is_handled_by_zoneinfo():
    windows, tz = parse_windows(["01:00-04:00"]), zone("Europe/Berlin")
    # 2026-03-29: clocks jump from 02:00 to 03:00 local; 01:30 local = 00:30 UTC; the window ends
    # at 04:00 local = 02:00 UTC, 1.5 hours later (not 2.5).
    assert seconds_until_outside(dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), windows, tz) == 90 * 60


@pytest.mark.parametrize(
    "text,message", [("7-11", "HH:MM-HH:MM"), ("07:00-07:00", "equal"), ("25:00-26:00", "not a time of day")]
)
def test_bad_windows(text, message):
    with pytest.raises(EvalGuardInputError, match=message):
        parse_windows([text])


def test_naive_time_and_whole_day_are_errors():
    with pytest.raises(EvalGuardInputError, match="timezone-naive"):
        active_window(dt.datetime(2026, 1, 1), parse_windows(["07:00-11:00"]), zone("UTC"))
    with pytest.raises(EvalGuardInputError, match="whole day"):
        seconds_until_outside(
            dt.datetime(2026, 1, 1, tzinfo=UTC), parse_windows(["00:00-12:00", "12:00-00:00"]), zone("UTC")
        )
