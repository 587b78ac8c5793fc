"""slo: the p99 against the SLO, with scipy's quantile-test interval at the corrected alpha."""

import numpy as np
import pytest
from scipy import stats

from airflow_evalguard.checks.latency_tail import slo
from airflow_evalguard.checks.latency_tail.estimate import estimate
from airflow_evalguard.checks.latency_tail.families import plan
from airflow_evalguard.core.compose import judge_members
from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.verdicts import Verdict
from tests.checks.latency_tail._samples import PARAMS, sample


def _decide(samples, targets):
    params = {**PARAMS, "slo_ms": targets}
    fam = plan(samples, 0, params)
    _, full = estimate(samples, fam, params)
    return slo.decide(fam, full, params)


@pytest.mark.parametrize("target, verdict", [(2000, Verdict.PASS), (700, Verdict.FAIL), (None, Verdict.INCONCLUSIVE)])
def test_p99_against_the_slo(target, verdict):
    x = np.random.default_rng(0).lognormal(6, 0.4, 5000)
    p99 = np.quantile(x, 0.99)
    target = target or round(p99)  # the SLO inside the interval: cannot be called
    decided = _decide([sample("a", x, "chat"), sample("b", x * 0.5, "chat")], {"chat": target})
    member = decided.part.gated[0]
    ci = stats.quantile_test(x, q=p99, p=0.99).confidence_interval(1 - 0.05 / 2)  # two groups share the SLO
    assert member.value == pytest.approx(p99 / target - 1)
    assert (member.ci_low, member.ci_high) == pytest.approx((ci.low / target - 1, ci.high / target - 1))
    assert judge_members([member], 0.05)[0].verdict is verdict
    assert decided.group_metrics["endpoint=a,latency_class=chat"]["slo_ms"].value == target
    assert decided.part.metrics["slo_breach[chat]"].value == pytest.approx(p99 / target - 1)  # the worse group


def test_too_few_requests_for_the_corrected_interval():
    decided = _decide([sample("a", np.arange(1.0, 201.0), "chat")], {"chat": 100})
    [judged] = judge_members(list(decided.part.gated), 0.05)
    words = judged.member.describe(judged.verdict)
    assert judged.verdict is Verdict.INCONCLUSIVE and "about 368 requests would settle" in words
    assert decided.part.metrics == {}


def test_a_p99_straddling_its_slo_is_sized_for_the_observed_distance():
    x = np.random.default_rng(3).lognormal(6, 0.4, 3000)
    p99 = np.quantile(x, 0.99)
    near = _decide([sample("a", x, "chat")], {"chat": p99 / 1.02})  # 2% above the SLO, inside the interval
    [judged] = judge_members(list(near.part.gated), 0.05)
    words = judged.member.describe(judged.verdict)
    assert judged.verdict is Verdict.INCONCLUSIVE and SIZED_FOR.search(words)
    assert "sized for a p99 at the observed +2.0% from the SLO" in words
    # a p99 exactly at its SLO: no size settles it, and the gate says so rather than inventing one
    at = _decide([sample("a", x, "chat")], {"chat": p99})
    [judged] = judge_members(list(at.part.gated), 0.05)
    words = judged.member.describe(judged.verdict)
    assert judged.verdict is Verdict.INCONCLUSIVE and "no sample size would settle it" in words


def test_milliseconds_print_with_thousands_separators():
    x = np.random.default_rng(4).lognormal(9, 0.2, 5000)  # p99 near 13,000 ms
    decided = _decide([sample("a", x, "batch")], {"batch": 10_000})
    [judged] = judge_members(list(decided.part.gated), 0.05)
    words = judged.member.describe(judged.verdict)
    p99 = np.quantile(x, 0.99)
    assert judged.verdict is Verdict.FAIL
    assert f"p99 {p99:,.0f} ms vs SLO 10,000 ms" in words and "," in f"{p99:,.0f}"
