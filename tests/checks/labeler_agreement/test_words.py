"""labeler_agreement.words: the clauses and the summary, by hand."""

from airflow_evalguard.checks.labeler_agreement.words import gate, moves, notes, summary
from airflow_evalguard.stats.trend import Trend
from airflow_evalguard.verdicts import Verdict

UP = Trend(0.2, 0.1, 0.3, 0.5, 0.7, 3)
DOWN = Trend(-0.2, -0.3, -0.1, 0.6, 0.4, 3)
FLAT = Trend(0.0, -0.1, 0.1, 0.5, 0.5, 3)


def test_moves_name_each_trend_in_a_fixed_order():
    text = moves({"discrimination": DOWN, "alpha": UP, "entropy": FLAT})
    assert text == (
        "alpha rose (0.50 -> 0.70, fitted +0.20, CI +0.10 to +0.30); "
        "entropy did not move significantly (0.50 -> 0.50, fitted 0.00, CI -0.10 to +0.10); "
        "discrimination fell (0.60 -> 0.40, fitted -0.20, CI -0.30 to -0.10)"
    )


def test_a_change_that_rounds_to_zero_reads_as_no_change_not_a_fall():
    barely_down = Trend(-0.004, -0.05, 0.04, 0.79, 0.78, 6)
    assert "fitted 0.00, CI -0.05 to +0.04" in moves({"alpha": barely_down})  # was "fitted -0.00"


def test_gate_sentences_and_notes():
    assert gate(Verdict.FAIL, 3, "m", 0.1) == "labelers homogenized over 3 batches: m"
    assert gate(Verdict.INCONCLUSIVE, 3, "m", 0.1).startswith(
        "the batches cannot rule out a homogenizing rise in alpha of 0.1"
    )
    assert [f.code for f in notes(2, False)] == ["UNPAIRABLE_ITEMS", "NO_GOLD"]
    assert notes(0, True) == []


def test_summary():
    trends = {"alpha": UP, "entropy": DOWN, "discrimination": DOWN}
    assert summary(Verdict.FAIL, True, trends, "m").startswith("Labelers homogenized: alpha rose 0.50 -> 0.70 over 3")
    assert "no gold labels to check accuracy" in summary(Verdict.FAIL, True, trends, "m")
    assert summary(Verdict.INCONCLUSIVE, False, trends, "m") == (
        "The batches are too small to rule out labeler homogenization: m."
    )
    assert summary(Verdict.PASS, False, trends, "m") == "No labeler homogenization across 3 batches: m."
