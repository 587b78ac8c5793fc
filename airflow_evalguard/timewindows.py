"""Daily protected windows ("07:00-11:00" in a timezone): when morning inference owns the GPUs.

Pure standard library (zoneinfo), because the sensors and triggers that hold training out of
these windows are imported where DAG files are parsed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from airflow_evalguard.exceptions import EvalGuardInputError

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class DailyWindow:
    start_min: int  # minutes after local midnight
    end_min: int  # may be below start_min: the window crosses midnight
    text: str

    def contains(self, minute_of_day: int) -> bool:
        if self.start_min <= self.end_min:
            return self.start_min <= minute_of_day < self.end_min
        return minute_of_day >= self.start_min or minute_of_day < self.end_min


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise EvalGuardInputError(f"unknown timezone {name!r}; use an IANA name such as 'Europe/Berlin'") from None


def parse_windows(windows: list[str] | str | None) -> list[DailyWindow]:
    """`["07:00-11:00", "22:00-02:00"]` -> windows; an equal start and end is an error."""
    if windows is None:
        return []
    if isinstance(windows, str):
        windows = [windows]
    out = []
    for text in windows:
        m = _WINDOW.match(str(text))
        if not m:
            raise EvalGuardInputError(f"protected window {text!r}: expected 'HH:MM-HH:MM' (local time)")
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59 or (h1 == 24 and m1) or (h2 == 24 and m2):
            raise EvalGuardInputError(f"protected window {text!r}: not a time of day")
        start, end = (h1 * 60 + m1) % 1440, (h2 * 60 + m2) % 1440
        if start == end:
            raise EvalGuardInputError(f"protected window {text!r}: start and end are equal")
        out.append(DailyWindow(start, end, str(text).strip()))
    return out


def active_window(now: dt.datetime, windows: list[DailyWindow], tz: ZoneInfo) -> DailyWindow | None:
    if now.tzinfo is None:
        raise EvalGuardInputError("a timezone-naive time cannot be placed in a protected window")
    local = now.astimezone(tz)
    minute = local.hour * 60 + local.minute
    return next((w for w in windows if w.contains(minute)), None)


def seconds_until_outside(now: dt.datetime, windows: list[DailyWindow], tz: ZoneInfo) -> float:
    """0 when `now` is outside every window; else the seconds until no window is active
    (windows that touch or overlap are crossed together). Steps minute by minute in local time,
    so DST changes are handled by zoneinfo rather than by arithmetic. The stepping is done in
    UTC: aware-datetime arithmetic within one zone is wall-clock arithmetic and would miss the
    hour a DST change adds or removes."""
    start = now.astimezone(dt.UTC)
    t = start
    for _ in range(2 * 1440):
        if active_window(t, windows, tz) is None:
            return max((t - start).total_seconds(), 0.0)
        t = (t + dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    raise EvalGuardInputError("the protected windows cover the whole day: training could never run")
