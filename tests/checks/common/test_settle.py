"""checks.common.settle against independent oracles: statsmodels' normal power, scipy's chi-square
quantiles, the Wilson interval searched by brute force, and the composer's own findings."""

import math

import numpy as np
import pytest
from scipy.stats import chi2, norm
from statsmodels.stats.power import NormalIndPower

from airflow_evalguard.checks.common import settle
from airflow_evalguard.core.compose import UNDERPOWERED_SLICE, compose
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.result import SliceResult
from airflow_evalguard.stats.paired import wilson_interval
from airflow_evalguard.verdicts import Verdict


def test_pilot_inflation_is_the_upper_80_percent_limit_of_a_spread():
    for n in (5, 30, 400):
        assert settle.pilot_inflation(n) == pytest.approx(math.sqrt((n - 1) / chi2.ppf(0.2, n - 1)), rel=1e-12)


@pytest.mark.parametrize("value, family", [(0.6, 1), (0.6, 3), (0.78, 2)])
def test_minimum_size_matches_statsmodels_at_the_median_spread_limit(value, family):
    """An alpha against its minimum 0.7, sized for the observed distance: one-sided Holm test below
    the minimum, the unadjusted two-sided interval above it, with the spread at its median (50%)
    chi-square limit (MINIMUM_PILOT_CONFIDENCE), against statsmodels' one-sample normal power."""
    sd, n_obs, minimum, alpha = 0.5, 40, 0.7, 0.05
    stated = settle.minimum_size(
        value, minimum, sd / math.sqrt(n_obs), n_obs, alpha=alpha, unit="items", what="an alpha", method="m"
    )(family)
    below = value < minimum
    inflated = sd * math.sqrt((n_obs - 1) / chi2.ppf(0.5, n_obs - 1))
    oracle = NormalIndPower().solve_power(
        effect_size=abs(minimum - value) / inflated,
        alpha=alpha / family if below else alpha,
        power=0.8,
        ratio=0,
        alternative="larger" if below else "two-sided",
    )
    assert abs(stated.n - math.ceil(oracle)) <= 1
    assert ("Holm over" in stated.method) == (below and family > 1)


@pytest.mark.parametrize("family", [1, 3, 5])
def test_band_size_matches_statsmodels_one_sample_power(family):
    """A true effect of fail_at, two-sided z test at the Holm first step, 80% power: statsmodels'
    one-sample normal power (ratio=0) gives the same n for the pilot-inflated spread."""
    sd, n_obs, fail_at, alpha = 0.7, 50, 0.15, 0.05
    se = sd / math.sqrt(n_obs)
    stated = settle.band_size(se, n_obs, fail_at, alpha=alpha, two_sided=True, unit="items", what="shift", method="m")(
        family
    )
    inflated = sd * settle.pilot_inflation(n_obs)
    oracle = NormalIndPower().solve_power(
        effect_size=fail_at / inflated, alpha=alpha / family, power=0.8, ratio=0, alternative="two-sided"
    )
    # statsmodels counts the far tail too (tiny): one item apart at most
    assert abs(stated.n - math.ceil(oracle)) <= 1
    assert SIZED_FOR.search(f"{stated.words()}")
    assert ("Holm over" in stated.method) == (family > 1)


def test_no_size_without_spread_or_distance():
    assert settle.scaled_n(40, 0.0, 0.1, 2.8) is None
    assert settle.scaled_n(40, 0.05, 0.0, 2.8) is None
    assert settle.scaled_n(40, float("nan"), 0.1, 2.8) is None
    assert settle.scaled_n(40, 1e6, 1e-6, 2.8) is None  # past MAX_STATED
    exact = settle.minimum_size(0.8, 0.8, 0.05, 40, alpha=0.05, unit="items", what="an alpha", method="m")(1)
    assert exact.n is None and exact.words().startswith("no sample size would settle it (sized for ")


def test_a_stated_size_is_never_below_the_sample_that_did_not_decide():
    assert settle.scaled_n(400, 0.001, 0.5, 2.8) == 401


def test_zero_failures_size_is_the_first_n_whose_wilson_bound_clears_fail_at():
    for fail_at in (0.02, 0.1, 0.25):
        n = settle.zero_failures_size(fail_at, alpha=0.05, unit="judgments")(3).n
        upper = lambda k: float(wilson_interval(np.array([0]), np.array([k]), 0.05)[1][0])  # noqa: E731
        assert upper(n) < fail_at <= upper(n - 1)


def test_zero_failures_size_is_worded_as_certain():
    size = settle.zero_failures_size(0.1, alpha=0.05, unit="judgments")(1)
    assert size.power == settle.CERTAIN and "100% power, certain at this size" in size.words()


def test_share_and_two_rates_sizes_reach_80_percent_by_the_normal_approximation():
    share = settle.share_size(0.85, 0.9, 40, alpha=0.05, unit="pairs", what="a consistency", method="m")(1)
    z = norm.ppf(0.95)
    power = norm.cdf((0.05 * math.sqrt(share.n) - z * math.sqrt(0.09)) / math.sqrt(0.85 * 0.15))
    assert 0.8 <= power < 0.81
    rates = settle.two_rates_size(0.1, 0.06, 60, alpha=0.05, unit="records", what="rate", method="m")(1)
    spread = 0.1 * 0.9 + 0.16 * 0.84
    assert norm.cdf(0.06 / math.sqrt(spread / rates.n) - norm.ppf(0.975)) == pytest.approx(0.8, abs=0.002)
    high = settle.two_rates_size(0.97, 0.06, 60, alpha=0.05, unit="records", what="rate", method="m")(1)
    assert high.n is not None and "from 97.0%" in high.effect  # sized downwards: 1.03 is no rate


def _unsettled(slice_name=None, code="SHIFT"):
    effect = GatedEffect(code, 0.1, 0.6, 0.4, 0.2, 0.5, lambda verdict: f"{code} moved", slice=slice_name)
    return settle.sized(effect, lambda family: settle.SampleSize(family * 100, "items", "a 0.5 shift", 0.8, "m"))


def test_with_sizes_appends_the_size_and_names_each_unsettled_slice():
    composed = compose(
        [
            Part(
                gated=(_unsettled(), _unsettled("criterion=a", "AXIS"), _unsettled("criterion=b", "AXIS")),
                slices=(SliceResult("criterion=a", Verdict.PASS), SliceResult("criterion=b", Verdict.PASS)),
            )
        ],
        alpha=0.05,
    )
    assert composed.verdict is Verdict.INCONCLUSIVE
    stated = settle.with_sizes(composed)
    overall = next(f for f in stated.findings if f.code == "SHIFT_UNSETTLED")
    assert overall.message == "SHIFT moved; about 300 items would settle it (sized for a 0.5 shift, 80% power, m)"
    under = next(f for f in stated.findings if f.code == UNDERPOWERED_SLICE)
    assert under.message.count("about 300 items would settle it") == 2
    assert "criterion=a: about" in under.message and "criterion=b: about" in under.message


def test_unreported_members_get_their_unsettled_finding():
    member = _unsettled()
    quiet = settle.sized(
        GatedEffect("COMPOSITE", 0.1, 0.6, 0.4, 0.2, 0.5, lambda verdict: "composite moved", report=False),
        member.size_for,
    )
    composed = compose([Part(gated=(quiet,))], alpha=0.05)
    assert not composed.findings
    (finding,) = settle.unsettled_unreported(composed)
    assert finding.code == "COMPOSITE_UNSETTLED" and SIZED_FOR.search(finding.message)


def test_band_size_takes_the_spread_at_the_confidence_asked():
    """At the median limit the size is the point-estimate size times the median inflation squared."""
    kwargs = {"alpha": 0.05, "two_sided": True, "unit": "queries", "what": "drop", "method": "m"}
    median = settle.band_size(0.02, 60, 0.05, confidence=0.5, **kwargs)(2).n
    upper = settle.band_size(0.02, 60, 0.05, **kwargs)(2).n
    z_sum = settle.z_test(0.05, 2, two_sided=True) + norm.ppf(0.8)
    assert median == math.ceil(60 * (z_sum * 0.02 * settle.pilot_inflation(60, 0.5) / 0.05) ** 2)
    assert median < upper
