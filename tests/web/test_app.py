"""The report view's routes (auth is checked on the real deployment, tests/integration/test_e2e.py)."""

import pytest
from fastapi.testclient import TestClient

from airflow_evalguard.store import LocalStore
from airflow_evalguard.store.artifacts import write_artifacts
from airflow_evalguard.store.base import run_prefix
from airflow_evalguard.web.app import create_app
from tests.report.hostile import hostile_result

RUN = "manual__2026-11-30T10:00:00+00:00"


@pytest.fixture()
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW__EVALGUARD__ARTIFACT_ROOT", str(tmp_path / "store"))
    (tmp_path / "secret.txt").write_text("outside the store")
    store = LocalStore(tmp_path / "store")
    write_artifacts(store, run_prefix("dag", RUN, "gate_a", 1), hostile_result())
    write_artifacts(store, run_prefix("dag", RUN, "gate_b", 2), hostile_result(), report=False)
    return TestClient(create_app(authorize=False))


def test_serves_the_stored_report(client):
    resp = client.get(f"/report/dag/{RUN}/gate_a/1")
    assert resp.status_code == 200 and resp.text.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in resp.headers["content-security-policy"]


def test_renders_on_the_fly_when_only_result_json_is_stored(client):
    resp = client.get(f"/report/dag/{RUN}/gate_b/2")
    assert resp.status_code == 200 and "slice_retention" in resp.text


def test_run_summary_links_every_gate_through_the_app(client):
    resp = client.get(f"/summary/dag/{RUN}")
    assert resp.status_code == 200
    assert "../../report/dag/manual__2026-11-30T10%3A00%3A00%2B00%3A00/gate_b/2" in resp.text


@pytest.mark.parametrize("path", ["/report/dag/../gate_a/1", "/report/..%2F..%2Fsecret.txt/x/y/1",
                                  "/report/dag/%2E%2E/gate_a/1", "/report/dag/run/gate_a/0",
                                  "/summary/..%2F../x"])
def test_paths_outside_the_store_are_refused(client, path):
    resp = client.get(path)
    assert resp.status_code in (400, 404, 422)
    assert "outside the store" not in resp.text


def test_missing_report_is_404(client):
    assert client.get("/report/dag/other_run/gate_a/1").status_code == 404
    assert client.get("/summary/dag/other_run").status_code == 404
