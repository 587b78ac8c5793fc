"""The report view's routes. Auth through Airflow's own `requires_access_dag` with a stand-in auth
manager here; the real auth manager is checked on the real deployment (tests/integration/test_e2e.py)."""

import json
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from airflow_evalguard.store import LocalStore, RunLayout
from airflow_evalguard.web.app import create_app
from tests.report.hostile import hostile_result, store_result

RUN = "manual__2026-11-30T10:00:00+00:00"
HEADERS = {"x-frame-options": "SAMEORIGIN", "x-content-type-options": "nosniff"}


def result_with(summary):
    return replace(hostile_result(), summary=summary)


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW__EVALGUARD__ARTIFACT_ROOT", str(tmp_path / "store"))
    (tmp_path / "secret.txt").write_text("outside the store")
    store = LocalStore(tmp_path / "store")
    store_result(store, RunLayout.of_gate("dag", RUN, "gate_a", -1, 1).folder, hostile_result())
    store_result(store, RunLayout.of_gate("dag", RUN, "gate_b", -1, 2).folder, hostile_result(), report=False)
    return store


@pytest.fixture()
def client(store):
    return TestClient(create_app(authorize=False), raise_server_exceptions=False)


def assert_hardened(resp):
    for name, value in HEADERS.items():
        assert resp.headers.get(name) == value, (resp.status_code, dict(resp.headers))
    csp = resp.headers["content-security-policy"]
    for directive in ("default-src 'none'", "frame-ancestors 'self'", "form-action 'none'", "base-uri 'none'"):
        assert directive in csp


def test_serves_the_stored_report(client):
    resp = client.get(f"/report/dag/{RUN}/gate_a/1")
    assert resp.status_code == 200 and resp.text.startswith("<!DOCTYPE html>")
    assert_hardened(resp)
    assert "form-action 'none'; base-uri 'none'" in resp.text  # the page's own CSP meta tag too


def test_renders_on_the_fly_when_only_result_json_is_stored(client):
    resp = client.get(f"/report/dag/{RUN}/gate_b/2")
    assert resp.status_code == 200 and "slice_retention" in resp.text


def test_run_summary_links_every_gate_through_the_app(client):
    resp = client.get(f"/summary/dag/{RUN}")
    assert resp.status_code == 200
    assert_hardened(resp)
    assert "../../report/dag/manual__2026-11-30T10%3A00%3A00%2B00%3A00/gate_b/2" in resp.text


@pytest.mark.parametrize(
    "path",
    [
        "/report/dag/../gate_a/1",
        "/report/..%2F..%2Fsecret.txt/x/y/1",
        "/report/dag/%2E%2E/gate_a/1",
        "/report/dag/run/gate_a/0",
        "/summary/..%2F../x",
        "/report/~/x/y/1",
        "/summary/~/x",
        "/report/dag/run/gate_a/1?map_index=-2",
        "/report/dag/run/gate_a/x",
        "/nowhere",
    ],
)
def test_paths_outside_the_store_are_refused_with_the_same_headers(client, path):
    resp = client.get(path)
    assert resp.status_code in (400, 404, 422)
    assert "outside the store" not in resp.text
    assert_hardened(resp)


def test_missing_report_is_404_naming_the_gate_not_the_store(client, tmp_path):
    for path in ("/report/dag/other_run/gate_a/1", "/summary/dag/other_run", f"/report/dag/{RUN}/gate_a/7"):
        resp = client.get(path)
        assert resp.status_code == 404 and str(tmp_path) not in resp.text and "/store" not in resp.text
        assert_hardened(resp)
    assert "dag / other_run / gate_a try 1" in client.get("/report/dag/other_run/gate_a/1").json()["detail"]


def test_a_500_carries_the_headers_and_no_detail(client, monkeypatch):
    import airflow_evalguard.report.render as render

    def broken(*args, **kwargs):
        raise RuntimeError(f"boom in {render.__file__}")

    monkeypatch.setattr(render, "render_report", broken)
    resp = client.get(f"/report/dag/{RUN}/gate_b/2")
    assert resp.status_code == 500 and "boom" not in resp.text
    assert_hardened(resp)


def test_a_try_without_result_json_is_not_shown(client, store):
    store.write_bytes(
        RunLayout.of_gate("dag", RUN, "gate_c", -1, 1).folder + "/report.html", b"<html>uncommitted</html>"
    )
    resp = client.get(f"/report/dag/{RUN}/gate_c/1")
    assert resp.status_code == 404 and "uncommitted" not in resp.text
    assert "gate_c" not in client.get(f"/summary/dag/{RUN}").text


def test_a_stale_report_in_a_reused_folder_is_not_served(client, store):
    from airflow_evalguard.result import CheckResult
    from airflow_evalguard.verdicts import Verdict

    prefix = RunLayout.of_gate("dag", RUN, "gate_a", -1, 1).folder
    new = CheckResult(check="x", verdict=Verdict.PASS, summary="the new run")
    store_result(store, prefix, new, report=False)  # report.html of the earlier write stays
    resp = client.get(f"/report/dag/{RUN}/gate_a/1")
    assert resp.status_code == 200 and "the new run" in resp.text and "slice_retention" not in resp.text


def test_one_corrupt_result_does_not_break_the_summary(client, store, tmp_path):
    prefix = RunLayout.of_gate("dag", RUN, "gate_x", -1, 1).folder
    store.write_bytes(f"{prefix}/result.json", b"{not json")
    prefix_y = RunLayout.of_gate("dag", RUN, "gate_y", -1, 1).folder
    store.write_bytes(f"{prefix_y}/result.json", json.dumps({"schema": "evalguard.result/v1", "verdict": 3}).encode())
    resp = client.get(f"/summary/dag/{RUN}")
    assert resp.status_code == 200 and resp.text.count(">UNREADABLE<") == 2
    assert "gate_a" in resp.text and "gate_b" in resp.text and str(tmp_path) not in resp.text
    assert client.get(f"/report/dag/{RUN}/gate_x/1").status_code == 404


def test_each_map_index_has_its_own_report_and_summary_entry(client, store):
    for i in range(3):
        store_result(store, RunLayout.of_gate("dag", RUN, "mapped", i, 1).folder, result_with(f"instance {i}"))
    for i in range(3):
        resp = client.get(f"/report/dag/{RUN}/mapped/1?map_index={i}")
        assert resp.status_code == 200 and f"instance {i}" in resp.text
    assert client.get(f"/report/dag/{RUN}/mapped/1").status_code == 404  # no unmapped instance
    page = client.get(f"/summary/dag/{RUN}").text
    for i in range(3):
        assert f">mapped[{i}]<" in page and f"mapped/1?map_index={i}" in page


CAFE, LOOKALIKE = "café", "caf_-850f7dc4"  # both legal DAG ids; they shared a key before


@pytest.fixture()
def two_dags(store):
    store_result(store, RunLayout.of_gate(CAFE, "r", "gate", -1, 1).folder, result_with("written for cafe"))
    store_result(
        store, RunLayout.of_gate(LOOKALIKE, "r", "gate", -1, 1).folder, result_with("written for the lookalike")
    )
    store_result(store, RunLayout.of_gate("eg_x.", "r", "gate", -1, 1).folder, result_with("written for eg_x."))
    return store


@pytest.mark.parametrize("allowed, other", [(CAFE, LOOKALIKE), (LOOKALIKE, CAFE), ("eg_x.", "eg_x_")])
def test_a_user_of_one_dag_never_reads_another_dags_reports(airflow_db, two_dags, monkeypatch, allowed, other):
    """Airflow's requires_access_dag authorizes the path's dag_id; the key read comes from exactly it."""
    from urllib.parse import quote

    import airflow.api_fastapi.core_api.security as security

    authorized = []

    class OneDag:
        def is_authorized_dag(self, *, method, access_entity=None, details=None, user):
            authorized.append(details.id)
            return details.id == allowed

    monkeypatch.setattr(security, "get_auth_manager", lambda: OneDag())
    app = create_app(authorize=True)
    app.dependency_overrides[security.get_user] = lambda: object()
    client = TestClient(app)
    mine = client.get(f"/report/{quote(allowed)}/r/gate/1")
    written_for = {CAFE: "cafe", LOOKALIKE: "the lookalike", "eg_x.": "eg_x."}[allowed]
    assert mine.status_code == 200 and f"written for {written_for}" in mine.text
    assert authorized == [allowed]
    for path in (
        f"/report/{quote(other)}/r/gate/1",
        f"/summary/{quote(other)}/r",
        f"/report/{quote(other)}/r/gate/1?dag_id={quote(allowed)}",
    ):
        resp = client.get(path)
        assert resp.status_code == 403 and "written for" not in resp.text
        assert_hardened(resp)
    if other == "eg_x_":  # nothing was written for it: allowed or not, it holds nothing of eg_x.
        monkeypatch.setattr(
            security, "get_auth_manager", lambda: type("All", (), {"is_authorized_dag": lambda self, **kw: True})()
        )
        assert client.get("/report/eg_x_/r/gate/1").status_code == 404


def test_a_corrupt_stored_report_is_rendered_again(client, tmp_path):
    (tmp_path / "store" / RunLayout.of_gate("dag", RUN, "gate_a", -1, 1).folder / "report.html").write_bytes(
        b"\xff\xfe broken"
    )
    resp = client.get(f"/report/dag/{RUN}/gate_a/1")
    assert resp.status_code == 200 and "slice_retention" in resp.text
