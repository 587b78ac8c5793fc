"""The report link: one quoted route per gate try, under the API server's base URL."""

from types import SimpleNamespace

from airflow_evalguard.links import URL_PREFIX, EvalGuardReportLink, report_path, report_url


def test_report_path_quotes_every_part():
    assert report_path("dag", "manual__2026-01-01T00:00:00+00:00", "gate/a", 2) == (
        "report/dag/manual__2026-01-01T00%3A00%3A00%2B00%3A00/gate%2Fa/2"
    )


def test_report_path_of_a_mapped_instance():
    assert report_path("d", "r", "t", 1, map_index=3) == "report/d/r/t/1?map_index=3"
    assert report_path("d", "r", "t", 1, map_index=-1) == "report/d/r/t/1"
    assert report_path("d", "r", "t", 1, map_index=None) == "report/d/r/t/1"


def test_report_url_uses_the_api_base_url(monkeypatch):
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "https://airflow.example.com/")
    assert report_url("d", "r", "t", 1) == f"https://airflow.example.com{URL_PREFIX}/report/d/r/t/1"


def test_link_counts_a_try_from_one(monkeypatch):
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "")
    key = SimpleNamespace(dag_id="d", run_id="r", task_id="t", try_number=0, map_index=-1)
    assert EvalGuardReportLink().get_link(None, ti_key=key) == f"{URL_PREFIX}/report/d/r/t/1"
    assert EvalGuardReportLink.name == "EvalGuard report"
