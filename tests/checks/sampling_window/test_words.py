import numpy as np

from airflow_evalguard.checks.sampling_window.words import describe_gaps, hour_runs, pct, summary
from airflow_evalguard.columns.strata import Dimension
from airflow_evalguard.verdicts import Verdict


def test_hour_runs_wrap_around_midnight():
    assert hour_runs([23, 0, 1, 5, 6, 12]) == [[23, 0, 1], [5, 6], [12]]
    assert hour_runs([3]) == [[3]]


def test_percentages_keep_a_decimal_below_one_percent():
    assert pct(0.5) == "50%" and pct(0.004) == "0.4%" and pct(0) == "0%"


def test_gaps_name_the_over_and_under_represented_strata():
    hours = Dimension("hour_of_day", [str(h) for h in range(4)], [])
    over, under = describe_gaps(hours, np.array([0.0, 0.5, 0.5, 0.0]), np.array([0.25] * 4), "UTC")
    assert over == ["01:00-03:00 UTC holds 100% of the sample and 50% of traffic"]
    assert under == [
        "00:00-01:00 UTC holds 0% of the sample and 25% of traffic",
        "03:00-04:00 UTC holds 0% of the sample and 25% of traffic",
    ]


def test_pass_summary_names_the_largest_distance():
    text = summary(Verdict.PASS, [], 100, None, [("hour_of_day", 0.03), ("region", 0.05)], 1.0, 90.0, 0.95)
    assert text == (
        "The eval sample matches the production mix on hour_of_day, region (largest TVD 0.05 on region, coverage 100%)."
    )
