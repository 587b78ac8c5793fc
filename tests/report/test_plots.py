"""report.plots: which plots a check gets, drawn so colours say what happened."""

from airflow_evalguard.report.charts import BETTER, WORSE
from airflow_evalguard.report.plots import plots_for
from airflow_evalguard.run import run_check
from tests.checks.slice_retention.helpers import ISSUE20_CELLS, correct_pairs


def _slice_plot(cells):
    teacher, student = correct_pairs(cells)
    result = run_check("slice_retention", {"teacher": teacher, "student": student}, {"slice_columns": ["slice"]})
    return plots_for(result.to_dict(), result.evidence)[0]


def test_slice_retention_draws_improvements_green_and_never_red():
    svg = _slice_plot(ISSUE20_CELLS)  # two slices improved significantly, none lost
    assert f"fill: {BETTER}" in svg and f"fill: {WORSE}" not in svg


def test_slice_retention_draws_a_lost_slice_red():
    svg = _slice_plot({**ISSUE20_CELLS, "lost": (20, 5, 60, 215)})  # 300 pairs, a drop of 18.3 points
    assert f"fill: {WORSE}" in svg and f"fill: {BETTER}" in svg
