"""slice_retention.words: the sentences a reviewer reads."""

from airflow_evalguard.checks.slice_retention import words
from airflow_evalguard.verdicts import Verdict


def test_underpowered_names_twenty_and_counts_the_rest():
    text = words.underpowered([f"slice={i} (n=3 < 30; detectable drop 50.0%)" for i in range(23)])
    assert text.startswith("23 slice(s) cannot be settled: slice=0 (n=3 < 30")
    assert text.endswith("slice=19 (n=3 < 30; detectable drop 50.0%) (+3 more)")


def test_unsettled_says_why():
    assert words.unsettled("slice=a", 12, 30, 0.05, 0.31) == "slice=a (n=12 < 30; detectable drop 31.0%)"
    assert words.unsettled("slice=a", 120, 30, 0.05, 0.08) == "slice=a (CI reaches 5%; detectable drop 8.0%)"


def test_average_hides_a_regression_only_when_the_overall_passes():
    assert words.average(0.004, Verdict.PASS, [("slice=a", 0.1), ("slice=b", 0.2)]) == (
        "warn",
        "AVERAGE_HIDES_REGRESSION",
        "the overall drop (+0.4%) passes, but 2 slice(s) regressed; worst slice=b (+20.0%)",
    )
    assert words.average(0.06, Verdict.FAIL, [("slice=a", 0.1)])[1] == "AVERAGE_CONSISTENT"


def test_summary():
    assert words.summary(Verdict.FAIL, 0.0, [("slice=a", 0.1, "w")], False, 10).startswith(
        "The student lost slice=a while the overall average looks flat: w."
    )
    assert words.summary(Verdict.FAIL, 0.0, [], True, 10).startswith("A required slice was never measured")
