"""output_contract's expectation outcomes: labels, slices and the rows each one broke."""

from airflow_evalguard.checks.output_contract.expectations import expectations, labels
from airflow_evalguard.contracts.compile import ExpectationSpec
from airflow_evalguard.contracts.gx_runner import ExpectationOutcome
from airflow_evalguard.core.compose import compose
from airflow_evalguard.verdicts import Verdict


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
