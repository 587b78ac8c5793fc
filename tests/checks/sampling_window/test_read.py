import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.sampling_window.read import totals_part, validate
from airflow_evalguard.exceptions import EvalGuardInputError
from tests.checks.sampling_window.strata import params, rows, strata


def test_margins_count_rows_by_local_hour_and_level():
    sample = rows([1, 1, 2, 23], ["us", "eu", "us", "us"])
    reference = rows([1, 2, 2, 2, 5], ["us", "us", "eu", "eu", "us"])
    read, _ = strata(sample, reference, dimensions=["region"], timezone="Asia/Tokyo")
    hour, region = read.dims
    assert hour.name == "hour_of_day" and region.name == "region"
    # UTC 1, 2, 5, 23 are 10, 11, 14, 8 in Tokyo (UTC+9)
    sample_by_hour = dict(zip(hour.levels, read.sample_margins[0], strict=True))
    assert {h: c for h, c in sample_by_hour.items() if c} == {"8": 1, "10": 2, "11": 1}
    assert dict(zip(region.levels, read.reference_margins[1], strict=True)) == {"eu": 2, "us": 3}
    assert read.n == 4


def test_aggregated_reference_gives_the_same_margins_as_its_rows():
    sample = rows([0, 3, 3, 7], ["us", "eu", "us", "us"])
    reference = rows([0, 0, 3, 7, 7, 7], ["us", "eu", "eu", "us", "us", "eu"])
    counts = (
        reference.assign(hour_of_day=reference["ts"].dt.hour)
        .groupby(["hour_of_day", "region"], as_index=False)
        .size()
        .rename(columns={"size": "count"})
    )
    from_rows, _ = strata(sample, reference, dimensions=["region"])
    from_counts, _ = strata(sample, counts, dimensions=["region"])
    for left, right in zip(from_rows.reference_margins, from_counts.reference_margins, strict=True):
        np.testing.assert_array_equal(left, right)


def test_counts_sample_sums_its_counts():
    sample = pd.DataFrame({"hour_of_day": [1, 2], "count": [3, 4]})
    read, _ = strata(sample, rows([1, 2, 3]))
    assert read.n == 7 and read.sample.counts is not None
    part = totals_part(read)
    assert part.metrics["sample_rows"].value == 7 and part.metrics["reference_total"].value == 3.0


def test_validate_dedupes_dimensions_and_refuses_the_timestamp():
    assert validate(params(dimensions=["region", "hour_of_day", "region"])) == ["region"]
    with pytest.raises(EvalGuardInputError, match="must not contain the timestamp column"):
        validate(params(dimensions=["ts"]))
