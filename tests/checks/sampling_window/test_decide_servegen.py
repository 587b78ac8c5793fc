"""sampling_window on the real traffic shape of ServeGen (Alibaba Model Studio, 43 clients, 14 days)."""

import numpy as np
import pytest
from scipy.stats import binom

from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.run import run_check
from tests.datasets.servegen import draw_sample, reference_by_hour
from tests.schema import assert_valid_result

ALPHA = 0.05


def run(sample, reference, **params):
    result = run_check("sampling_window", {"sample": sample, "reference": reference}, params)
    assert_valid_result(result)
    return result


def test_a_3am_cron_sample_fails_and_says_why():
    rng = np.random.default_rng(0)
    result = run(draw_sample(2000, rng, hours=(3,)), reference_by_hour())
    assert result.verdict.value == "FAIL"
    tvd = result.metrics["tvd[hour_of_day]"]
    assert tvd.value > 0.9 and tvd.ci_low > 0.9
    mix = [f for f in result.findings if f.code == "MIX_SHIFT"][0]
    assert mix.severity == "fail"
    assert "03:00-04:00 UTC holds 100% of the sample and 3% of traffic" in mix.message
    assert any(f.code == "LOW_COVERAGE" for f in result.findings)
    assert result.metrics["hours_covered"].value == 1 and result.metrics["hours_in_reference"].value == 24


def test_a_uniform_sample_passes():
    rng = np.random.default_rng(1)
    result = run(draw_sample(2000, rng), reference_by_hour())
    assert result.verdict.value == "PASS"
    assert result.metrics["tvd[hour_of_day]"].ci_high < 0.1
    assert result.metrics["coverage"].value == pytest.approx(1.0)


def test_client_dimension_office_hours_sample():
    """An office-hours (09-17) sample over-represents business clients' daytime traffic."""
    rng = np.random.default_rng(2)
    result = run(
        draw_sample(3000, rng, hours=tuple(range(9, 17))), reference_by_hour(with_client=True), dimensions=["client"]
    )
    assert result.verdict.value == "FAIL"
    assert result.metrics["tvd[hour_of_day]"].value > 0.5
    assert "tvd[client]" in result.metrics


def _verdicts(n, runs, seed):
    rng = np.random.default_rng(seed)
    ref = reference_by_hour()
    return [run(draw_sample(n, rng), ref, seed=i, n_boot=1000).verdict.value for i in range(runs)]


def test_calibration_representative_2000_rarely_fails():
    runs = 150
    verdicts = _verdicts(2000, runs, seed=10)
    # at most alpha of runs FAIL, with a one-sided 99% binomial tolerance on the simulation count
    assert verdicts.count("FAIL") <= binom.ppf(0.99, runs, ALPHA)
    assert verdicts.count("PASS") >= 0.9 * runs


def test_calibration_100_rows_are_inconclusive_not_pass():
    runs = 150
    verdicts = _verdicts(100, runs, seed=11)
    assert verdicts.count("PASS") == 0
    assert verdicts.count("FAIL") <= binom.ppf(0.99, runs, ALPHA)
    assert verdicts.count("INCONCLUSIVE") >= 0.85 * runs


def test_inconclusive_names_the_rows_that_would_settle_it():
    rng = np.random.default_rng(3)
    ref = reference_by_hour()
    result = run(draw_sample(100, rng), ref)
    assert result.verdict.value == "INCONCLUSIVE"
    needed = result.metrics["n_required"].value
    assert 100 < needed < 5000
    assert f"about {needed:,} sample rows would settle it (sized for a representative sample" in result.summary
    assert SIZED_FOR.search(result.summary)
    (insufficient,) = [f for f in result.findings if f.code == "INSUFFICIENT_SAMPLE"]
    assert SIZED_FOR.search(insufficient.message) and "fail_at 0.2 on hour_of_day" in insufficient.message
    # and a representative sample of that size does settle it (PASS) in most draws
    settled = [run(draw_sample(int(needed * 1.2), rng), ref, seed=i).verdict.value for i in range(20)]
    assert settled.count("PASS") >= 16
