"""Issue 17: the sizes latency_tail states from HISTOGRAM inputs for the SLO and the cold-start tax,
simulated through the whole check at the stated size with the effect each was sized for (the rows
forms of these rows are in test_power_latency_srm.py; the fine-tune decision's histogram rows in
test_power_embed_latency.py). Achieved power must lie in [0.75, 0.90] for a stated 80%.

A histogram's interval ends sit at bin edges (half a 1% bin beyond the order statistics on
average), so the sizes from histograms are larger than from rows; these rows check that the
sizing's bin model (stats.quantile_sizing: the widening, the bin-offset variance, the interval
stretched to the width the check reported) states enough. PILOTS inconclusive pilots each state
a size; RUNS full runs at each (150 in all), the table printing the median stated size.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from airflow_evalguard.run import run_check
from airflow_evalguard.sources.histograms import latency_histogram
from tests.calibration.harness import stated_power
from tests.calibration.test_power_latency_srm import MAX_SIMULATED, WARM, _cold_requests, _slo_requests, _stated

pytestmark = pytest.mark.slow

PILOTS, RUNS = 30, 5


def _binned(make):
    """A request builder whose requests reach the check as a histogram (is_cold kept per bin)."""
    return lambda rng, n: {"histogram": latency_histogram(make(rng, n))}


def _pilots(make, pilot_n: int, params: dict, seed: int, sized: str) -> tuple[list[tuple[int, str]], int]:
    """PILOTS inconclusive pilots whose size was stated for `sized`, and how many others were not."""
    rng, pilots, other = np.random.default_rng(seed), [], 0
    while len(pilots) < PILOTS:
        result = run_check("latency_tail", make(rng, pilot_n), params)
        stated = _stated(result) if result.verdict.value == "INCONCLUSIVE" else None
        if stated is None:
            continue
        assert "interval that exists" not in stated[1]  # the pilots are large enough to bound p99
        if stated[1].startswith(sized) and stated[0] <= MAX_SIMULATED:
            pilots.append(stated)
        else:
            other += 1
    return pilots, other


def _settled(make, n: int, params: dict, rng: np.random.Generator) -> list[bool]:
    return [run_check("latency_tail", make(rng, n), params).verdict.value != "INCONCLUSIVE" for _ in range(RUNS)]


def test_histogram_cold_tax_at_fail_at():
    """Cold starts that put p99 of all requests exactly fail_at above the warm p99."""
    make = _binned(_cold_requests)
    pilots, other = _pilots(make, 2000, {}, 17, "a p99 ratio at fail_at (+25%)")
    rng = np.random.default_rng(1)
    settled = [hit for stated_n, _ in pilots for hit in _settled(make, stated_n, {}, rng)]
    median = sorted(n for n, _ in pilots)[PILOTS // 2]
    stated_power(
        "latency_tail", f"cold tax at fail_at (histogram; pilot 2,000; {other} not simulated)", median, settled
    )


def test_histogram_slo_at_the_observed_distance():
    """A true p99 4% above the SLO; each stated size is simulated at the distance it was sized for."""
    make = _binned(_slo_requests)
    true_p99 = WARM.ppf(0.99)
    params = {"slo_ms": {"all": round(true_p99 / 1.04, 3)}}
    pilots, other = _pilots(make, 1500, params, 17, "a p99 at the observed")
    rng, settled = np.random.default_rng(2), []
    for stated_n, sized_for in pilots:
        observed = float(re.search(r"observed ([+-][0-9.]+)%", sized_for).group(1)) / 100
        settled += _settled(make, stated_n, {"slo_ms": {"all": true_p99 / (1 + observed)}}, rng)
    median = sorted(n for n, _ in pilots)[PILOTS // 2]
    stated_power(
        "latency_tail",
        f"SLO p99 at the observed distance (histogram; pilot 1,500; {other} not simulated)",
        median,
        settled,
    )
