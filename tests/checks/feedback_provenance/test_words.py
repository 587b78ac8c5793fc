"""feedback_provenance.words: the summary per outcome."""

from airflow_evalguard.checks.feedback_provenance import words
from airflow_evalguard.result import Finding


def test_summary():
    fail = Finding("fail", "EMPLOYEE_FEEDBACK", "60.0% of the accepted set comes from employees")
    assert words.summary(10, 8, 0.2, [fail]) == (
        f"Do not train on this feedback as is: {fail.message}. 8 of 10 rows would be accepted."
    )
    assert words.summary(10, 8, 0.2, []) == (
        "8 of 10 feedback rows accepted for training; 2 quarantined (20.0%) with their reasons."
    )
    assert words.summary(10, 10, 0.0, []).startswith("All 10 feedback rows meet the provenance contract")


def test_why_lists_rules_most_rows_first_as_given():
    assert words.why([(4, "no_consent"), (1, "pii:email")]) == "no_consent 4, pii:email 1"
