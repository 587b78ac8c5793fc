import pytest

from airflow_evalguard.core.sizing import SIZED_FOR, SampleSize


def test_words_name_size_unit_effect_power_and_method():
    words = SampleSize(1544, "pairs", "a 5.0-point drop", method="exact McNemar").words()
    assert words == "about 1,544 pairs would settle it (sized for a 5.0-point drop, 80% power, exact McNemar)"
    assert SIZED_FOR.search(words)


def test_no_size_is_said_plainly_and_still_matches_the_rule():
    words = SampleSize(None, "pairs", "a 5.0-point drop").words()
    assert words.startswith("no sample size would settle it")
    assert SIZED_FOR.search(words)


def test_a_sentence_without_a_size_does_not_match():
    assert not SIZED_FOR.search("1 decision(s) lack requests")
    assert not SIZED_FOR.search("about many rows would settle it")


@pytest.mark.parametrize("bad", [0, -3, 2.5])
def test_sizes_must_be_positive_integers(bad):
    with pytest.raises(ValueError):
        SampleSize(bad, "rows", "x")


@pytest.mark.parametrize("power", [0.0, 1.0, float("nan")])
def test_power_must_be_a_probability(power):
    with pytest.raises(ValueError):
        SampleSize(10, "rows", "x", power=power)
