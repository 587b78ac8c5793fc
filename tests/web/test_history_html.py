"""Names in the UI tables break only after their separators, and stay escaped."""

from markupsafe import Markup

from airflow_evalguard.web.history_html import ident, render


def test_a_name_breaks_after_its_separators_only():
    assert ident("assignment_integrity_gate") == "assignment_<wbr>integrity_<wbr>gate"
    assert ident("manual__2026-12-04T16:41:33+00:00") == "manual_<wbr>_<wbr>2026-12-04T16:<wbr>41:<wbr>33+00:<wbr>00"
    assert ident("tvd[hour_of_day]") == "tvd[hour_<wbr>of_<wbr>day]"
    assert ident("0.9652") == "0.9652" and ident(None) == ""


def test_a_hostile_name_stays_text():
    shown = ident("<script>alert('x_y')</script>")
    assert isinstance(shown, Markup) and "<script" not in shown and "&lt;script&gt;" in shown
    assert "&#39;x_<wbr>y&#39;" in shown  # breaks never split an entity


def test_the_run_tab_shows_gate_and_check_names_with_break_opportunities():
    rows = [
        {
            "label": "refusal_regression_gate",
            "check": "refusal_regression",
            "verdict": "FAIL",
            "metric": "drop 0.02",
            "try_number": 1,
            "summary": "a long summary in words",
            "href": None,
        }
    ]
    page = render("run_tab.html.j2", title="t", dag_id="dag", run_id="run_1", rows=rows, unknown_gates="", lagging=0)
    assert "refusal_<wbr>regression_<wbr>gate" in page and '<td class="text">a long summary in words</td>' in page
    assert '<div class="scroll"><table>' in page
