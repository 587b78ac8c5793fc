"""The HTML report: escaping, self-containment, limits, and bad stored results."""

import json
import re
from dataclasses import replace

import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.publish.read import check_schema, load_run
from airflow_evalguard.report.render import render_report, render_summary
from airflow_evalguard.result import Metric, SliceResult
from airflow_evalguard.store import LocalStore
from airflow_evalguard.verdicts import Verdict
from tests.report.hostile import IMG_MESSAGE, SCRIPT_SLICE, hostile_result, store_result


def test_strings_from_data_are_escaped_everywhere():
    evidence = pd.DataFrame({"slice": [SCRIPT_SLICE], "text": [IMG_MESSAGE]})
    html = render_report(hostile_result().to_dict(), evidence)
    assert "<script" not in html.lower()
    assert "<img" not in html.lower() and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_self_contained_no_network_and_scripts_blocked_by_policy():
    html = render_report(hostile_result().to_dict())
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html
    assert not re.search(r"url\((?!#)", html)  # SVG's own url(#clip) references only
    assert "default-src 'none'" in html  # even an injected script could not run or fetch


def test_plots_are_inline_svg_with_text_as_paths():
    html = render_report(hostile_result().to_dict())
    assert html.count("<svg") >= 1
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<text" not in svg  # labels from data are drawn as shapes, never as markup


def test_50000_slices_stay_small_and_say_what_was_cut():
    result = hostile_result(50_000)
    html = render_report(result.to_dict())
    assert len(html.encode()) < 5 * 1024 * 1024
    assert "Showing the 500 worst of 50,000 slices" in html
    first_rows = html[html.index('id="slices"') :][:3000]
    assert "&lt;script&gt;" in first_rows  # worst (FAIL) first


def test_newer_schema_is_a_clear_error():
    with pytest.raises(EvalGuardInputError, match="newer EvalGuard.*upgrade"):
        check_schema({"schema": "evalguard.result/v2"}, "result.json")
    with pytest.raises(EvalGuardInputError, match="not an EvalGuard result"):
        check_schema({"schema": "something/v1"}, "result.json")


def test_stored_run_round_trip_and_missing_evidence_note(tmp_path):
    store = LocalStore(tmp_path)
    result = replace(hostile_result(), evidence=pd.DataFrame({"row": [1, 2], "why": ["a", "b"]}))
    artifacts = store_result(store, "dag/run/task/try_1", result)
    assert set(artifacts) == {"evidence", "report", "result"}
    assert (tmp_path / "dag/run/task/try_1/report.html").read_text().startswith("<!DOCTYPE html>")
    (tmp_path / "dag/run/task/try_1/evidence.parquet").unlink()
    run = load_run(store, "dag/run/task/try_1")
    assert run.evidence is None and "missing" in run.evidence_note
    html = render_report(run.result, run.evidence, run.evidence_note)
    assert 'id="evidence-note"' in html and "Findings" in html


def test_a_report_that_cannot_be_drawn_never_loses_the_result(tmp_path, monkeypatch):
    import airflow_evalguard.report.render as render

    def broken(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(render, "render_report", broken)
    artifacts = store_result(LocalStore(tmp_path), "p", hostile_result())
    assert "report" not in artifacts
    assert json.loads((tmp_path / "p/result.json").read_text())["verdict"] == "FAIL"


def test_summary_page_lists_gates_worst_first():
    html = render_summary(
        "dag / run",
        [
            {"task_id": "a", "check": "x", "verdict": "PASS", "summary": "ok", "report_href": "a/try_1/report.html"},
            {"task_id": "b", "check": "y", "verdict": "FAIL", "summary": SCRIPT_SLICE, "report_href": None},
        ],
    )
    assert html.index(">b<") < html.index(">a<")
    assert "FAIL · 2 gate(s)" in html and "<script" not in html


def test_p_values_never_print_as_zero_and_counts_never_in_scientific_notation():
    result = replace(
        hostile_result(),
        metrics={
            "chi2_p_holm[hour_of_day]": Metric(0.0),  # underflowed: "< 1e-300", not "0"
            "srm_p": Metric(4.42e-166),
            "reference_rows": Metric(60_000.0, n=19_410),
            "weighted_rows": Metric(12_164.25),
        },
        slices=[SliceResult("slice=a", Verdict.PASS, {"p_holm": Metric(0.0), "drop": Metric(0.01, -0.02, 0.04)})],
    )
    evidence = pd.DataFrame({"stratum": ["a"], "sample_count": [19_410.0], "p": [0.0]})
    html = render_report(result.to_dict(), evidence)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert cells.count("&lt; 1e-300") == 2  # the metric and the evidence column "p"
    assert "4.4e-166" in cells and "60,000" in cells and "19,410" in cells and "12,164.2" in cells
    assert "<code>p_holm</code>=&lt; 1e-300" in html
    assert not [cell for cell in cells if re.fullmatch(r"[\d.]+e\+\d+", cell)]  # no "6e+04", "1.941e+04"
