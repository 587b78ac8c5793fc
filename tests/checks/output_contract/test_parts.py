"""output_contract's parts, each against an independent oracle (statsmodels, hand counts)."""

import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep

from airflow_evalguard.checks.output_contract.escalation import SHIFT, escalation_rate
from airflow_evalguard.checks.output_contract.expectations import expectations, labels
from airflow_evalguard.checks.output_contract.human import human_handled
from airflow_evalguard.checks.output_contract.version import version_bump
from airflow_evalguard.contracts.compile import ExpectationSpec
from airflow_evalguard.contracts.gx_runner import ExpectationOutcome
from airflow_evalguard.contracts.loader import ContractError, parse_contract_text
from airflow_evalguard.contracts.versions import LastVersion, judge_version
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


def test_human_handled_counts_by_hand():
    contract = parse_contract_text(
        "name: h\nversion: 1\nbehaviour:\n  human_handled:\n"
        '    applies_when: tool == "esc"\n    max_automated_share: 0.2\n',
        "c.yaml",
    )
    records = pd.DataFrame(
        {"tool": ["esc"] * 5 + ["answer"], "resolved_by_type": ["human", "human", "bot", "bot", None, "bot"]}
    )
    handled = human_handled(contract, records)
    # applies: rows 0-3 (row 4 has no resolver, row 5 is not an escalation); automated: rows 2, 3
    assert handled.automated_rows == (2, 3)
    assert handled.part.metrics["human_handled_share"].value == pytest.approx(0.5)
    assert handled.part.validity == (Verdict.FAIL,)  # 2/4 = 50% > 20%


def _outcome(clause, kind, success, rows=()):
    return ExpectationOutcome(ExpectationSpec(kind, {}, clause), success, 10, len(rows), list(rows))


def test_expectation_labels_and_slices_keep_each_verdict():
    outcomes = [
        _outcome("fields.a", "expect_column_values_to_not_be_null", True),
        _outcome("rules.0", "expect_column_values_to_match_regex", False, [1, 4]),
        _outcome("rules.0", "expect_column_values_to_be_in_set", True),
    ]
    assert labels(outcomes) == ["fields.a", "rules.0/match_regex", "rules.0/be_in_set"]
    checked = expectations(outcomes, 10)
    composed = compose([checked.part], alpha=0.05)
    assert [s.verdict for s in composed.slices] == [Verdict.PASS, Verdict.FAIL, Verdict.PASS]
    assert composed.verdict is Verdict.FAIL and checked.broken == {
        1: ("rules.0/match_regex",),
        4: ("rules.0/match_regex",),
    }


def test_versions_move_forward_only():
    contract = parse_contract_text("name: c\nversion: 2\n", "c.yaml")
    record = {"version": 3, "sha256": "x", "recorded_at": "then"}
    with pytest.raises(ContractError, match="version 2 is lower than version 3"):
        judge_version(LastVersion("c", "mem://r", record), contract)
    same = judge_version(LastVersion("c", "mem://r", {**record, "version": 2}), contract)
    assert same.changed_without_bump and version_bump(contract, same).validity == (Verdict.WARN,)
    assert judge_version(LastVersion("c", "mem://r", None), contract).last_version is None
    with pytest.raises(ContractError, match="changed while the gate ran"):
        judge_version(LastVersion("other", "mem://r", None), contract)
