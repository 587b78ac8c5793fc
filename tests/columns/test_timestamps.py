import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.columns.timestamps import local_hour, validate_timezone
from airflow_evalguard.exceptions import EvalGuardInputError


def hours(values, tz="UTC"):
    return local_hour(pd.Series(values), tz, input_name="sample", column="ts").tolist()


def test_aware_timestamps_convert_to_the_zone():
    assert hours(["2026-03-01T02:30:00+00:00"], "Europe/Berlin") == [3]
    assert hours(["2026-07-01T02:30:00+00:00"], "Europe/Berlin") == [4]  # summer time
    assert hours(["2026-07-01T02:30:00-05:00"], "UTC") == [7]


def test_naive_timestamps_are_local_time_in_the_zone():
    assert hours(["2026-07-01 02:30:00"], "America/New_York") == [2]


def test_epoch_seconds():
    assert hours(np.array([0, 3600 * 5 + 10])) == [0, 5]


def test_datetime_dtype_passes_through():
    ts = pd.Series(pd.date_range("2026-01-01 22:00", periods=3, freq="h", tz="UTC"))
    assert hours(ts, "Asia/Tokyo") == [7, 8, 9]


def test_unparseable_timestamps_name_rows():
    with pytest.raises(EvalGuardInputError) as err:
        hours(["2026-01-01T01:00:00", "not a time", "2026-01-01T03:00:00", "yesterday"])
    msg = str(err.value)
    assert "input 'sample'" in msg and "'ts'" in msg and "2 bad row(s)" in msg
    assert "row 1: 'not a time'" in msg and "row 3: 'yesterday'" in msg


def test_missing_timestamps_are_an_error():
    with pytest.raises(EvalGuardInputError, match="row 1: missing"):
        hours(["2026-01-01T01:00:00", None])


def test_unknown_timezone():
    with pytest.raises(EvalGuardInputError, match="unknown time zone"):
        validate_timezone("Mars/Olympus_Mons")


def test_offsets_that_change_across_dst_parse():
    assert hours(["2026-03-28T10:00:00+01:00", "2026-03-30T10:00:00+02:00", "2026-03-30T08:00:00Z"]) == [9, 8, 8]


def test_mixing_naive_and_offset_timestamps_is_an_error():
    with pytest.raises(EvalGuardInputError, match=r"with and without a UTC offset.*row 1: '2026-03-30T10:00:00'"):
        hours(["2026-03-28T10:00:00+01:00", "2026-03-30T10:00:00"])
