"""Sizing from order-statistic intervals against simulation (the sampling distribution of p99 and
of its interval's ends) and scipy's lognormal."""

import math

import numpy as np
import pytest
from scipy import stats

from airflow_evalguard.stats.log_bins import RATIO, bin_index, binned_quantiles
from airflow_evalguard.stats.order_stat import quantiles
from airflow_evalguard.stats.quantile_sizing import (
    Comparison,
    Reading,
    _to_observed_width,
    read,
    scale_to_settle,
    unsettled_chance,
)

LOGNORMAL = stats.lognorm(s=0.5, scale=math.exp(6))


def _estimator(x):
    return lambda specs: quantiles(x, specs)


def test_level_sd_is_the_simulated_sd_of_log_p99():
    rng = np.random.default_rng(0)
    simulated = np.std([math.log(np.quantile(LOGNORMAL.rvs(5000, random_state=rng), 0.99)) for _ in range(800)])
    reading = read(_estimator(LOGNORMAL.rvs(50_000, random_state=rng)), 50_000, 0.99, 0.05)
    at_q = float(np.interp(0.99, reading.levels, reading.log_sds)) * math.sqrt(50_000 / 5000)
    assert at_q == pytest.approx(simulated, rel=0.12)
    # and the asymptotic sd sqrt(q(1-q)/n) / (f(x_q) x_q) of theory
    x = LOGNORMAL.ppf(0.99)
    assert at_q == pytest.approx(math.sqrt(0.99 * 0.01 / 5000) / (LOGNORMAL.pdf(x) * x), rel=0.12)


@pytest.mark.parametrize("scale", [4.0, 16.0])
def test_bounds_at_k_times_the_data_are_those_of_a_k_times_larger_sample(scale):
    """The interval's ends read from a 2,000-request sample at k x n against the median ends of
    simulated k x n samples: half-widths shrink as 1/sqrt(k) (smooth tail)."""
    rng = np.random.default_rng(1)
    reading = read(_estimator(LOGNORMAL.rvs(20_000, random_state=rng)), 2000, 0.99, 0.05)
    # (read from a larger sample at n = 2000 levels so the test is about the scaling, not the noise)
    big = [quantiles(LOGNORMAL.rvs(int(2000 * scale), random_state=rng), [(0.99, 0.05)])[0] for _ in range(200)]
    for side, ends in ((0, [b.ci_low for b in big]), (1, [b.ci_high for b in big])):
        predicted, _, _ = reading.bound(0.99, 0.05, scale, side)
        half_predicted = abs(predicted - reading.at(0.99))
        half_simulated = abs(math.log(np.median(ends)) - math.log(LOGNORMAL.ppf(0.99)))
        assert half_predicted == pytest.approx(half_simulated, rel=0.2)


def test_chance_to_settle_an_slo_matches_simulation():
    """p99 3% above an SLO: the predicted chance that k x 4,000 requests still straddle it, against
    simulated samples of that size."""
    rng = np.random.default_rng(2)
    target = LOGNORMAL.ppf(0.99) / 1.03
    # a pilot without noise (the true quantile function and the asymptotic sds at n = 4,000): the
    # test is about the model, not about one pilot's noise
    levels = np.linspace(0.985, 0.995, 41)
    x = LOGNORMAL.ppf(levels)
    sds = np.sqrt(levels * (1 - levels) / 4000) / (LOGNORMAL.pdf(x) * x)
    reading = Reading(4000, levels, np.log(x), sds)
    comparison = Comparison(reading, None, 0.99, 0.05, log_target=math.log(target))
    shift = math.log(LOGNORMAL.ppf(0.99)) - reading.at(0.99)  # the truth, as sized for
    for scale in (2.0, 5.0):
        predicted = unsettled_chance(comparison, (0.0, 0.0), shift, scale)
        straddles = [
            est.ci_low <= target <= est.ci_high
            for est in (
                quantiles(LOGNORMAL.rvs(int(4000 * scale), random_state=rng), [(0.99, 0.05)])[0] for _ in range(400)
            )
        ]
        assert predicted == pytest.approx(np.mean(straddles), abs=0.08)


def test_a_truth_on_the_band_edge_or_not_finite_has_no_size():
    rng = np.random.default_rng(4)
    x = LOGNORMAL.rvs(3000, random_state=rng)
    reading = read(_estimator(x), 3000, 0.99, 0.05)
    at_slo = Comparison(reading, None, 0.99, 0.05, log_target=reading.at(0.99))
    assert scale_to_settle(at_slo, (0.0, 0.0), 0.0) is None  # a p99 exactly at its SLO
    assert scale_to_settle(at_slo, (0.0, 0.0), math.nan) is None
    assert read(_estimator(x[:100]), 100, 0.99, 0.05) is None  # no interval to read


def test_more_data_settle_a_decision_the_current_data_cannot():
    rng = np.random.default_rng(5)
    x = LOGNORMAL.rvs(2000, random_state=rng)
    reading = read(_estimator(x), 2000, 0.99, 0.05)
    comparison = Comparison(reading, None, 0.99, 0.05, log_target=reading.at(0.99) - 0.05)
    scale = scale_to_settle(comparison, (0.0, 0.0), 0.0)
    assert scale is not None and scale > 1
    assert (
        unsettled_chance(comparison, (0.0, 0.0), 0.0, scale)
        <= 0.2
        < unsettled_chance(comparison, (0.0, 0.0), 0.0, scale * 0.9)
    )


def _noiseless_reading(n, ratio=1.0):
    """The true quantile function around p99 with the asymptotic sds at n (no pilot noise)."""
    levels = np.linspace(0.985, 0.995, 41)
    x = LOGNORMAL.ppf(levels) * ratio
    return Reading(n, levels, np.log(x), np.sqrt(levels * (1 - levels) / n) / (LOGNORMAL.pdf(x / ratio) * x / ratio))


def test_end_correlation_within_one_sample_is_the_order_statistics_correlation():
    reading = _noiseless_reading(4000)
    comparison = Comparison(reading, None, 0.99, 0.05)
    (low, high) = (reading.bound(0.99, 0.05, 2.0, side) for side in (0, 1))
    p1, p2 = low[2], high[2]
    assert comparison.end_correlation(2.0) == pytest.approx(math.sqrt(p1 * (1 - p2) / (p2 * (1 - p1))))


def test_chance_a_ratio_inside_the_band_stays_unsettled_matches_simulation():
    """A fine-tune 12% slower at p99 than its base (fail_at 25%): the predicted chance that the
    check's ratio interval (each p99 at 1 - alpha/2) still reaches both 0 and fail_at at k x 3,000
    requests per side, against simulated pairs of samples; it lies between the Frechet bounds."""
    rng = np.random.default_rng(5)
    alpha, edges = 0.05 / 2, (0.0, math.log(1.25))
    comparison = Comparison(_noiseless_reading(3000, 1.12), _noiseless_reading(3000), 0.99, alpha)
    for scale in (1.0, 2.0):
        predicted = unsettled_chance(comparison, edges, 0.0, scale, inside=True)
        upper = unsettled_chance(comparison, edges, 0.0, scale)
        n = int(3000 * scale)
        unsettled = []
        for _ in range(400):
            num = quantiles(LOGNORMAL.rvs(n, random_state=rng) * 1.12, [(0.99, alpha)])[0]
            den = quantiles(LOGNORMAL.rvs(n, random_state=rng), [(0.99, alpha)])[0]
            unsettled.append(num.ci_low / den.ci_high <= 1 and num.ci_high / den.ci_low >= 1.25)
        assert predicted <= upper
        assert predicted == pytest.approx(np.mean(unsettled), abs=0.08)


def test_a_widened_interval_moves_each_end_outward_by_the_widening():
    """Histograms: the check's interval ends sit at bin edges, half a bin beyond the quantiles read."""
    plain, widened = _noiseless_reading(4000), Reading(**{**_noiseless_reading(4000).__dict__, "widening": 0.005})
    for side, sign in ((0, -1), (1, 1)):
        before, after = plain.bound(0.99, 0.05, 3.0, side), widened.bound(0.99, 0.05, 3.0, side)
        assert after[0] == pytest.approx(before[0] + sign * 0.005) and after[1:] == before[1:]


def _binned(values, specs):
    bins = bin_index(values)
    unique, counts = np.unique(bins, return_counts=True)
    return binned_quantiles(unique, counts, specs)


def test_a_histogram_ratio_inside_the_band_stays_unsettled_as_simulated_on_the_grid():
    """The bin model (ends at bin edges: half a bin out on average, U x bin width with U uniform)
    on the noiseless 12% fine-tune: the predicted chance that the binned ratio interval still
    reaches both 0 and fail_at, against binned simulated samples."""
    rng = np.random.default_rng(6)
    alpha, edges = 0.05 / 2, (0.0, math.log(1.25))
    half_bin = math.log(RATIO) / 2
    widened = [
        Reading(**{**reading.__dict__, "widening": half_bin})
        for reading in (_noiseless_reading(3000, 1.12), _noiseless_reading(3000))
    ]
    comparison = Comparison(*widened, 0.99, alpha)
    for scale in (1.5, 2.5):
        n = int(3000 * scale)
        unsettled = []
        for _ in range(300):
            num = _binned(LOGNORMAL.rvs(n, random_state=rng) * 1.12, [(0.99, alpha)])[0]
            den = _binned(LOGNORMAL.rvs(n, random_state=rng), [(0.99, alpha)])[0]
            unsettled.append(num.ci_low / den.ci_high <= 1 and num.ci_high / den.ci_low >= 1.25)
        predicted = unsettled_chance(comparison, edges, 0.0, scale, inside=True)
        assert predicted == pytest.approx(np.mean(unsettled), abs=0.08)


def test_a_histogram_reading_takes_the_bin_floor_off_each_sd_and_adds_the_offset_spread():
    """The sd of the levels read from binned intervals (ends at bin edges) is that of the rows'
    intervals within a few percent, not one bin wider; each end's sd then adds the uniform offset."""
    x = LOGNORMAL.rvs(20_000, random_state=np.random.default_rng(7))
    half_bin = math.log(RATIO) / 2
    from_rows = read(_estimator(x), 20_000, 0.99, 0.05)
    from_bins = read(lambda specs: _binned(x, specs), 20_000, 0.99, 0.05, half_bin)
    unwidened = read(lambda specs: _binned(x, specs), 20_000, 0.99, 0.05)
    # averaged over the levels read: one level's binned interval is a whole number of bins wide
    mean_sds = [float(np.mean(r.log_sds)) for r in (from_rows, from_bins, unwidened)]
    assert mean_sds[1] == pytest.approx(mean_sds[0], rel=0.05)
    assert mean_sds[2] > mean_sds[1] * 1.1  # the bin floor read as spread
    alone = Comparison(from_bins, None, 0.99, 0.05).bounds(1.0)
    low_end = from_bins.bound(0.99, 0.05, 1.0, 0)
    assert alone[0][1] == pytest.approx(math.sqrt(low_end[1] ** 2 + (2 * half_bin) ** 2 / 12))


def test_a_histogram_reading_is_stretched_to_the_interval_the_check_reported():
    """Midpoints cannot say where in its bin each end sits: when the binned interval is wider than
    the midpoints' spread plus the widening, the quantile function is stretched about p99 to it."""
    x = LOGNORMAL.rvs(3000, random_state=np.random.default_rng(8))
    half_bin = math.log(RATIO) / 2
    estimate = _binned(x, [(0.99, 0.05)])[0]
    reported = math.log(estimate.ci_high) - math.log(estimate.ci_low)
    stretched = _to_observed_width(
        estimate, np.array([0.98, 0.99, 0.995]), np.array([6.9, 7.0, 7.0 + 1e-3]), 0.99, half_bin
    )
    assert stretched[1] == 7.0  # about p99
    assert stretched[-1] - stretched[0] == pytest.approx(reported - 2 * half_bin)
    wide = np.array([6.0, 7.0, 8.0])  # wider than reported: left as read
    assert np.array_equal(_to_observed_width(estimate, np.array([0.98, 0.99, 0.995]), wide, 0.99, half_bin), wide)
