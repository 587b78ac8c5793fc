import numpy as np

from airflow_evalguard.checks.assignment_integrity.tables import FieldTable
from airflow_evalguard.checks.assignment_integrity.words import describe_leak, summary
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict


def test_leak_names_the_arm_and_level_that_differ_most():
    # long prompts: 71 of 100 went to B; short ones: 43 of 300
    table = FieldTable(["short", "long"], np.array([[257.0, 43.0], [29.0, 71.0]]), "levels")
    assert describe_leak("length", table, ["A", "B"]) == "arm B got 71% of units with length=long (28% of all units)"


def test_fail_summary_lists_each_failing_code_once_and_the_first_story():
    findings = [
        Finding("fail", "ASSIGNMENT_LEAK", "x"),
        Finding("warn", "COVARIATE_IMBALANCE", "y"),
        Finding("fail", "ASSIGNMENT_LEAK", "z"),
    ]
    assert summary(Verdict.FAIL, findings, ["arm B got 71%"], 10) == (
        "Do not read this experiment's lift: ASSIGNMENT_LEAK. How the lift could have been manufactured: arm B got 71%."
    )
    assert summary(Verdict.PASS, [], [], 12000).startswith("Assignment looks honest across 12,000 units")
