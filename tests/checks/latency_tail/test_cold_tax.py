"""cold_tax: p99 with and without cold starts (numpy), the cold share of the tail (hand count)."""

import math
import re

import numpy as np
import pytest

from airflow_evalguard.checks.latency_tail import cold_tax
from airflow_evalguard.checks.latency_tail.estimate import estimate
from airflow_evalguard.checks.latency_tail.families import plan
from airflow_evalguard.core.compose import judge_members
from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.verdicts import Verdict
from tests.checks.latency_tail._samples import PARAMS, sample


def _decide(samples):
    fam = plan(samples, 0, PARAMS)
    _, full = estimate(samples, fam, PARAMS)
    return cold_tax.decide(samples, fam, full, PARAMS)


def test_cold_starts_in_the_tail_are_taxed():
    rng = np.random.default_rng(2)
    x = rng.lognormal(5, 0.3, 20_000)
    cold = np.zeros(len(x), dtype=bool)
    cold[:400] = True
    x[cold] += 5000  # model load
    decided = _decide([sample("ft", x, cold=cold), sample("warm", x[~cold], cold=np.zeros(len(x) - 400, bool))])
    metrics = decided.group_metrics["endpoint=ft,latency_class=all"]
    assert metrics["cold_start_rate"].value == pytest.approx(0.02)
    assert metrics["p99_warm"].value == pytest.approx(np.quantile(x[~cold], 0.99))
    assert metrics["cold_start_tax_ms"].value == pytest.approx(np.quantile(x, 0.99) - np.quantile(x[~cold], 0.99))
    above = x > np.quantile(x, 0.99)
    assert metrics["cold_tail_share"].value == pytest.approx(cold[above].mean()) and metrics["cold_tail_share"].n == 200
    [member] = decided.part.gated  # the all-warm group has cold_start_rate 0 and is not judged
    assert member.value == pytest.approx(np.quantile(x, 0.99) / np.quantile(x[~cold], 0.99) - 1)
    assert judge_members([member], 0.05)[0].verdict is Verdict.FAIL
    assert list(decided.group_metrics["endpoint=warm,latency_class=all"]) == ["cold_start_rate"]
    assert set(decided.part.metrics) == {"cold_start_tax[ft]"}


def test_no_cold_column_no_decision():
    decided = _decide([sample("ft", np.arange(1.0, 1001.0))])
    assert decided.part.gated == () and decided.group_metrics == {}


def test_a_tax_interval_straddling_fail_at_names_the_requests_and_cold_starts_that_would_settle_it():
    """Issue 17's case: ~0.6% cold starts, a tax interval from below 0 to above fail_at."""
    rng = np.random.default_rng(7)
    n = 3000
    cold = rng.random(n) < 0.0074
    x = np.where(cold, rng.lognormal(math.log(3000), 0.3, n), rng.lognormal(6, 0.5, n))
    [member] = _decide([sample("ft", x, cold=cold)]).part.gated
    assert member.ci_low <= 0 and member.ci_high >= PARAMS["fail_at"]
    [judged] = judge_members([member], 0.05)
    assert judged.verdict is Verdict.INCONCLUSIVE
    words = member.describe(judged.verdict)
    assert SIZED_FOR.search(words) and "sized for a p99 ratio at fail_at (+25%)" in words
    stated = int(re.search(r"about ([0-9,]+) requests would settle", words).group(1).replace(",", ""))
    cold_starts = int(re.search(r"about ([0-9,]+) cold starts", words).group(1).replace(",", ""))
    assert stated > n  # more than the requests at hand
    assert abs(cold_starts - stated * cold.mean()) <= 1  # the same k on the cold starts, at the observed rate
    # a verdict that is not INCONCLUSIVE keeps its message without a size
    assert "would settle" not in member.describe(Verdict.FAIL)
