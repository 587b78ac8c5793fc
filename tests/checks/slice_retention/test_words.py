"""slice_retention.words: the sentences a reviewer reads."""

from airflow_evalguard.checks.slice_retention import words
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.verdicts import Verdict

SIZE = SampleSize(1_544, "paired examples", "a 5.0-point drop", method="m")


def test_underpowered_names_twenty_counts_the_rest_and_states_the_size_once():
    text = words.underpowered(
        [words.Unsettled(f"slice={i} (n=3 < 30; detectable drop 50.0%)", SIZE) for i in range(23)]
    )
    assert text.startswith("23 slice(s) cannot be settled: slice=0 (n=3 < 30")
    assert text.endswith(
        "slice=19 (n=3 < 30; detectable drop 50.0%) (+3 more). Per slice, about 1,544 paired examples would "
        "settle it (sized for a 5.0-point drop, 80% power, m). They warn without changing the verdict: only a "
        "slice declared in required_slices holds the result at INCONCLUSIVE."
    )


def test_underpowered_names_the_slices_each_size_is_for_when_they_differ():
    tight = SampleSize(None, "paired examples", "a 1.0-point drop", method="m")
    text = words.underpowered(
        [words.Unsettled("slice=a (n=3 < 30; x)", SIZE), words.Unsettled("slice=b (n=3 < 9; x)", tight, True)]
    )
    assert text.endswith(
        "Per slice: slice=a: about 1,544 paired examples would settle it (sized for a 5.0-point drop, 80% power, m); "
        "slice=b: no sample size would settle it (sized for a 1.0-point drop, 80% power, m). "
        "Required slice(s) slice=b hold the result at INCONCLUSIVE; the others warn without changing it."
    )


def test_unsettled_says_why_and_what_it_could_detect():
    assert words.unsettled("slice=a", 12, 30, 0.05, 0.31, SIZE) == (
        "slice=a (n=12 < 30; detectable drop 31.0%)",
        SIZE,
        False,
    )
    assert (
        words.unsettled("slice=a", 120, 30, 0.05, 0.08, SIZE).entry == "slice=a (CI reaches 5%; detectable drop 8.0%)"
    )
    assert (
        words.unsettled("slice=a", 3, 30, 0.05, None, SIZE).entry
        == "slice=a (n=3 < 30; no drop detectable at 80% power)"
    )


def test_average_hides_a_regression_only_when_the_overall_passes():
    assert words.average(-0.004, Verdict.PASS, [("slice=a", 0.1), ("slice=b", 0.2)], "correct") == (
        "warn",
        "AVERAGE_HIDES_REGRESSION",
        "the overall change (improved by 0.4 points) passes, but 2 slice(s) regressed; "
        "worst slice=b (a drop of 20.0 points)",
    )
    assert words.average(0.06, Verdict.FAIL, [("slice=a", 0.1)], "correct")[1] == "AVERAGE_CONSISTENT"


def test_a_change_is_said_with_its_direction_never_as_a_signed_drop():
    assert words.change(0.049, "correct") == "a drop of 4.9 points"
    assert words.change(-0.049, "correct") == "improved by 4.9 points"
    assert words.change(-0.0004, "correct") == words.change(0.0, "correct") == "unchanged"
    assert words.change(-0.12, "score") == "improved by 0.12"  # scores keep their own units
    assert words.drop_interval(-0.082, -0.014, "correct") == "CI of the drop -8.2 to -1.4 points"
    assert words.level(0.8, "correct") == "80.0%" and words.level(3.25, "score") == "3.25"


def test_summary():
    assert words.summary(Verdict.PASS, -0.049, [], False, 10) == (
        "The student retains the teacher's behaviour overall (improved by 4.9 points) and in every measurable slice."
    )
    assert words.summary(Verdict.FAIL, 0.0, [("slice=a", 0.1, "w")], False, 10).startswith(
        "The student lost slice=a while the overall average looks flat: w."
    )
    assert words.summary(Verdict.FAIL, 0.0, [], True, 10).startswith("A required slice was never measured")


def test_unsettled_says_when_too_few_pairs_changed_for_an_interval():
    entry = words.unsettled("slice=a", 40, 30, 0.05, 0.2, SIZE, withheld=True).entry
    assert entry == "slice=a (CI reaches 5%; fewer than 10 pairs or 5 changed, no interval; detectable drop 20.0%)"


def test_overall_unsettled_without_an_interval_says_why():
    text = words.overall_unsettled(0.02, float("-inf"), float("inf"), 0.05, SIZE, "score")
    assert text.startswith("the overall change (a drop of 0.02, no interval: fewer than 10 pairs or 5 changed) cannot")
