"""judge_drift.words: which sentence leads the summary."""

from airflow_evalguard.checks.judge_drift.words import summary, underpowered
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict


def test_pass_lists_the_notes_and_fail_adds_the_advice():
    notes = [Finding("info", "JUDGE_NOT_PINNED", "all scores from 'a'")]
    assert summary(Verdict.PASS, [], notes) == "The judge held still: all scores from 'a'."
    assert summary(Verdict.PASS, [], []) == "The judge held still: every part passed."
    assert summary(Verdict.FAIL, ["The judge changed"], []) == (
        "The judge changed. Do not read this eval's scores until the judge is re-pinned."
    )
    assert summary(Verdict.WARN, [], [Finding("warn", "X", "mixed snapshots")]) == "mixed snapshots."


def test_inconclusive_leads_with_the_unsettled_finding():
    unsettled = [Finding("warn", "JUDGE_PARSE_FAILURES_UNSETTLED", "too few judgments")]
    assert summary(Verdict.INCONCLUSIVE, [], unsettled) == "The judge's stability cannot be settled: too few judgments."
    assert underpowered(["judge_model=a", "judge_model=b"]) == (
        "2 judge(s) with too few items to settle: judge_model=a, judge_model=b"
    )
