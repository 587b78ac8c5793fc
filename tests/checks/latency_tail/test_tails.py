"""tails: the shared p99 estimate (against scipy's quantile test), metric names, and how a
comparison becomes a gated effect (judged here by core.compose's judge_members)."""

import math

import numpy as np
import pytest
from scipy import stats

from airflow_evalguard.checks.latency_tail.tails import (
    TAIL,
    Group,
    metric_name,
    ratio_effect,
    tails,
    unsettled,
    worst_metrics,
)
from airflow_evalguard.core.compose import judge_members
from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.stats.order_stat import n_required, quantiles
from airflow_evalguard.verdicts import Verdict
from tests.checks.latency_tail._samples import estimator

GROUP = Group("ep", "all", 1000)


def test_metric_names():
    assert [metric_name(q) for q in (0.5, 0.95, 0.99, 0.999)] == ["p50", "p95", "p99", "p99_9"]


def test_p99_at_each_alpha_is_numpy_and_scipys_quantile_test_interval():
    x = np.random.default_rng(1).lognormal(5, 1, 3000)
    reported, by_alpha = tails(estimator(x), {0.05, 0.01}, [0.5, 0.99], 0.05)
    assert [r.value for r in reported] == pytest.approx([np.quantile(x, 0.5), np.quantile(x, 0.99)])
    for alpha, est in by_alpha.items():
        ci = stats.quantile_test(x, q=np.quantile(x, TAIL), p=TAIL).confidence_interval(1 - alpha)
        assert (est.ci_low, est.ci_high) == pytest.approx((ci.low, ci.high))
    assert by_alpha[0.01].ci_high >= by_alpha[0.05].ci_high  # a smaller alpha, a wider interval


def test_n_required_is_the_published_368_at_95_percent():
    assert n_required(TAIL, 0.05) == 368


def test_an_unbounded_p99_is_inconclusive_and_names_the_n_it_needs():
    member = unsettled("SLO_BREACH", GROUP, "the SLO check", 0.05, 100, per_side=False)
    [judged] = judge_members([member], 0.05)
    assert judged.verdict is Verdict.INCONCLUSIVE
    words = member.describe(judged.verdict)
    assert "from 100 requests" in words and SIZED_FOR.search(words)
    assert "about 368 requests would settle it (sized for a p99 interval that exists at 0.95 confidence" in words
    assert member.unsettled_code == "TOO_FEW_REQUESTS"


@pytest.mark.parametrize("scale, verdict", [(1.0, Verdict.PASS), (1.5, Verdict.FAIL)])
def test_ratio_effect_is_the_p99_ratio_judged_by_its_interval(scale, verdict):
    rng = np.random.default_rng(3)
    a, b = rng.lognormal(5, 0.5, 20_000) * scale, rng.lognormal(5, 0.5, 20_000)
    num, den = quantiles(a, [(TAIL, 0.025)])[0], quantiles(b, [(TAIL, 0.025)])[0]
    member = ratio_effect("X", GROUP, (num, den), 0.025, "x", 20_000, (0.10, 0.25), lambda rel: f"{rel:+.0%}")
    assert member.value == pytest.approx(np.quantile(a, 0.99) / np.quantile(b, 0.99) - 1)
    # the conservative interval: lower end of one over upper end of the other
    assert member.ci_low == pytest.approx(num.ci_low / den.ci_high - 1)
    assert member.ci_high == pytest.approx(num.ci_high / den.ci_low - 1)
    assert judge_members([member], 0.05)[0].verdict is verdict


def test_ratio_effect_with_too_few_requests_is_unsettled():
    small = quantiles(np.arange(1.0, 101.0), [(TAIL, 0.05)])[0]
    member = ratio_effect("X", GROUP, (small, small), 0.05, "the comparison", 100, (0.1, 0.25), str)
    assert math.isnan(member.value) and member.ci_high == math.inf


def test_worst_metrics_keep_the_largest_finite_value_per_key():
    low = unsettled("X", GROUP, "x", 0.05, 1)  # NaN: never a top-level metric
    members = [
        ratio_effect("X", GROUP, (e, f), 0.05, "x", 1, (0.1, 0.2), str)
        for e, f in [
            (quantiles(np.full(1000, 2.0), [(TAIL, 0.05)])[0], quantiles(np.full(1000, 1.0), [(TAIL, 0.05)])[0]),
            (quantiles(np.full(1000, 3.0), [(TAIL, 0.05)])[0], quantiles(np.full(1000, 1.0), [(TAIL, 0.05)])[0]),
        ]
    ]
    metrics = worst_metrics(
        [(low, "k[a]", 1), (members[0], "k[a]", 10), (members[1], "k[a]", 20), (members[0], "k[b]", 5)]
    )
    assert metrics["k[a]"].value == pytest.approx(2.0) and metrics["k[a]"].n == 20
    assert metrics["k[b]"].value == pytest.approx(1.0)
