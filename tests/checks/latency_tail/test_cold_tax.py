"""cold_tax: p99 with and without cold starts (numpy), the cold share of the tail (hand count)."""

import numpy as np
import pytest

from airflow_evalguard.checks.latency_tail import cold_tax
from airflow_evalguard.checks.latency_tail.estimate import estimate
from airflow_evalguard.checks.latency_tail.families import plan
from airflow_evalguard.core.compose import judge_members
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
