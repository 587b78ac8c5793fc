"""judge_drift.parse_failures: the rate and its Wilson interval against statsmodels."""

import pytest
from statsmodels.stats.proportion import proportion_confint

from airflow_evalguard.checks.judge_drift.parse_failures import parse_part
from airflow_evalguard.core.compose import compose
from airflow_evalguard.verdicts import Verdict


def test_rate_and_interval_match_statsmodels_wilson():
    part = parse_part({"scores": (30, 800), "dual": (10, 200)}, warn_at=0.02, fail_at=0.1, alpha=0.05)
    metric = part.metrics["judge_parse_failure_rate"]
    low, high = proportion_confint(40, 1000, alpha=0.05, method="wilson")
    assert metric.value == pytest.approx(0.04) and metric.n == 1000
    assert (metric.ci_low, metric.ci_high) == pytest.approx((low, high), rel=1e-12)
    assert part.metrics["judge_parse_failures[dual]"].value == 10
    (effect,) = part.gated
    assert effect.p_value == 0.0 and effect.ci_high == pytest.approx(high)


def test_any_failure_is_significant_none_is_unsettled_when_few():
    warned = compose([parse_part({"scores": (40, 1000)}, warn_at=0.02, fail_at=0.1, alpha=0.05)], alpha=0.05)
    assert warned.verdict is Verdict.WARN
    few = compose([parse_part({"scores": (0, 10)}, warn_at=0.02, fail_at=0.1, alpha=0.05)], alpha=0.05)
    assert few.verdict is Verdict.INCONCLUSIVE
    assert few.findings[0].code == "JUDGE_PARSE_FAILURES_UNSETTLED"
    assert "no parse failures in 10 judgments" in few.findings[0].message


def test_no_judgments_is_an_empty_part():
    part = parse_part({"scores": (0, 0)}, warn_at=0.02, fail_at=0.1, alpha=0.05)
    assert part.metrics == {} and part.gated == ()
