"""rubric_drift.words: a shift keeps its sign, and one that rounds to zero reads as no move."""

from airflow_evalguard.checks.common.shift import Shift
from airflow_evalguard.checks.rubric_drift import words
from airflow_evalguard.verdicts import Verdict

FLAT = Shift(-0.0004, -0.0281, 0.0273, 0.97, 400, "paired_t")
FELL = Shift(-0.52, -0.59, -0.45, 1e-9, 400, "paired_t")


def test_a_composite_that_did_not_move_has_no_minus_sign():
    assert words.composite(FLAT) == "the composite moved 0.000 (CI -0.028 to +0.027)"  # was "-0.000"
    assert words.summary(Verdict.PASS, [], FLAT, "2026-10", "2026-11") == (
        "No rubric or judge drift between 2026-10 and 2026-11 (composite 0.000, CI -0.028 to +0.027)."
    )


def test_a_judge_axis_shift_keeps_its_sign():
    levels = {"j_base": 3.35, "j_cand": 2.80, "h_base": 3.21, "h_cand": 3.18}
    assert words.axis("safety", "judge", FELL, levels).startswith(
        "safety: the judge moved -0.52 relative to humans (CI -0.59 to -0.45; judge 3.35 -> 2.80"
    )
