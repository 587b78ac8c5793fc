"""output_contract's escalation-rate part against statsmodels' Newcombe interval."""

import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep

from airflow_evalguard.checks.output_contract.escalation import SHIFT, escalation_rate
from airflow_evalguard.contracts.loader import parse_contract_text
from airflow_evalguard.core.compose import compose
from airflow_evalguard.verdicts import Verdict

RATE = (
    'name: rate\nversion: 1\nbehaviour:\n  escalation_rate:\n    escalated_when: tool == "esc"\n'
    "    warn_at: 0.03\n    fail_at: 0.06\n"
)
PARAMS = {"warn_at": 0.05, "fail_at": 0.10, "alpha": 0.05}


def _tools(escalated, total):
    return pd.DataFrame({"tool": ["esc"] * escalated + ["answer"] * (total - escalated)})


def test_escalation_interval_is_statsmodels_newcombe():
    rate = escalation_rate(parse_contract_text(RATE, "c.yaml"), _tools(12, 60), _tools(7, 60), PARAMS)
    delta = rate.part.metrics["escalation_rate.delta"]
    low, high = confint_proportions_2indep(12, 60, 7, 60, method="newcomb", compare="diff", alpha=0.05)
    assert delta.value == pytest.approx(12 / 60 - 7 / 60)
    assert (delta.ci_low, delta.ci_high) == pytest.approx((low, high))
    (effect,) = rate.part.gated
    assert effect.code == SHIFT and effect.ci_high == pytest.approx(max(abs(low), abs(high)))
    # the interval spans zero: not settled, and the band (fail 6%) is inside it -> INCONCLUSIVE
    assert compose([rate.part], alpha=0.05).verdict is Verdict.INCONCLUSIVE


def test_a_drop_in_escalations_fails_as_a_rise_would():
    rate = escalation_rate(parse_contract_text(RATE, "c.yaml"), _tools(100, 2000), _tools(400, 2000), PARAMS)
    composed = compose([rate.part], alpha=0.05)
    assert composed.verdict is Verdict.FAIL and [f.code for f in composed.findings] == [SHIFT]


def test_without_baseline_the_rate_is_only_reported():
    rate = escalation_rate(parse_contract_text(RATE, "c.yaml"), _tools(3, 10), None, PARAMS)
    assert rate.part.metrics["escalation_rate.candidate"].value == pytest.approx(0.3)
    assert [f.code for f in rate.part.findings] == ["NO_BASELINE"] and rate.part.gated == ()
