"""core.number_words: p-values never print as 0, counts never in scientific notation."""

import math

import numpy as np
import pytest
from scipy.stats import chi2

from airflow_evalguard.core.number_words import (
    count,
    listing,
    names_a_p_value,
    number,
    p_value,
    points,
    points_interval,
    signed,
    tally,
)


def test_a_p_value_below_the_float_range_is_said_to_be_smaller_not_zero():
    # a chi-square statistic this large has a p-value that underflows to 0.0 in scipy
    underflowed = float(chi2.sf(20_000, df=23))
    assert underflowed == 0.0
    assert p_value(underflowed) == "< 1e-300"
    assert p_value(5e-324) == "< 1e-300"  # the smallest subnormal
    assert p_value(np.float64(0.0)) == "< 1e-300"


def test_p_values_in_the_float_range_keep_two_significant_digits():
    assert p_value(4.42e-166) == "4.4e-166"
    assert p_value(1e-300) == "1e-300"
    assert p_value(0.0321) == "0.032"
    assert p_value(1.0) == "1"
    for p in (3e-7, 0.0456, 0.5):
        assert float(p_value(p)) == pytest.approx(p, rel=0.05)


def test_a_missing_or_non_finite_p_value_is_a_dash():
    assert p_value(None) == p_value(math.nan) == p_value(True) == p_value("0.01") == "–"


def test_counts_are_integers_with_thousands_separators():
    assert count(19_410.0) == "19,410"
    assert count(np.int64(19_410)) == "19,410"
    assert count(np.float64(60_000)) == "60,000"
    assert count(1_234.5) == "1,234.5"
    assert count(None) == "–" and count(math.inf) == "–"
    rng = np.random.default_rng(0)
    for n in rng.integers(0, 10**15, 200):
        text = count(float(n))
        assert "e" not in text and int(text.replace(",", "")) == int(n)


def test_numbers_in_cells():
    assert number(60_000.0) == "60,000"  # was "6e+04"
    assert number(12_164.25) == "12,164.2"  # was "1.216e+04"; half to even
    assert number(0.123456) == "0.1235"
    assert number(6.67e-05) == "6.67e-05"
    assert number(np.int64(5)) == "5" and number(True) == "true" and number("x") == "x"
    assert number(math.nan) == "–" and number(None) == "–"
    assert number(2.0**60) == "1.15e+18"


def test_which_names_hold_p_values():
    assert all(
        names_a_p_value(n) for n in ("p", "p_holm", "srm_p", "chi2_p_holm[region]", "P_value", "mcnemar_p_holm.harmful")
    )
    assert not any(names_a_p_value(n) for n in ("p99", "drop", "smd[prompt_len]", "p99_ms[a_p]", "dependence"))


def test_changes_keep_their_sign_but_a_rounded_zero_has_none():
    assert signed(0.19) == "+0.19" and signed(-0.25) == "-0.25"
    assert signed(-0.004) == signed(0.004) == "0.00"  # was "-0.00": a fall that did not happen
    assert points(0.204) == "+20.4 points" and points(-0.005) == "-0.5 points" and points(-0.0004) == "0.0 points"
    assert points(0.05, signed_change=False) == "5.0 points"
    assert points_interval(-0.0004, 0.19) == "0.0 to +19.0 points"


def test_tallies_and_listings_are_words_not_python_reprs():
    assert tally({"email": 43, "phone": 1200.0}) == "email 43, phone 1,200"
    assert listing(["production"]) == "production" and listing(["a", 1]) == "a, 1"
