"""The history page (DAG tab and nav page): what it draws, its filters and paging, bad index
records, escaping, and who sees which DAG."""

import re
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from airflow_evalguard.store import LocalStore
from airflow_evalguard.store.history_keys import live_key, stamp_of
from airflow_evalguard.web.app import create_app
from tests.publish.history_helpers import START, gate_result, publish_gate
from tests.report.hostile import IMG_MESSAGE, hostile_result

VERDICTS = ["PASS", "WARN", "FAIL", "PASS", "INCONCLUSIVE", "PASS"]
CODES = {"PASS": [], "WARN": ["MIX_SHIFT"], "FAIL": ["MIX_SHIFT", "SLICE_REGRESSION"], "INCONCLUSIVE": ["SMALL"]}


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW__EVALGUARD__ARTIFACT_ROOT", str(tmp_path))
    store = LocalStore(tmp_path)
    for i, verdict in enumerate(VERDICTS):
        for gate in ("gate_a", "gate_b"):
            result = gate_result(verdict, CODES[verdict], drop=0.01 * i, minutes=i * 60)
            publish_gate(store, "dag", f"run_{i}", gate, result)
    publish_gate(store, "other", "run_x", "judge", gate_result("FAIL", ["PIN"], minutes=30, check="judge_drift"))
    return store


@pytest.fixture()
def client(store):
    return TestClient(create_app(authorize=False), raise_server_exceptions=False)


def svgs(html):
    return [ElementTree.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", html, flags=re.S)]


def test_each_gate_gets_a_timeline_with_its_metric_band_and_thresholds(client):
    page = client.get("/history/dag")
    assert page.status_code == 200 and "form-action 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]
    drawn = svgs(page.text)  # parses as XML: nothing in it broke out of its element
    assert len(drawn) == 2
    ns = "{http://www.w3.org/2000/svg}"
    figure = drawn[0]
    assert figure.find(f"{ns}title").text == "History of gate_a on dag" and "6 runs" in figure.find(f"{ns}desc").text
    links = figure.findall(f"{ns}a")
    strip, points = links[:6], links[6:]
    assert [a.find(f"{ns}rect").get("fill") for a in strip] == [
        "#2e7d32",
        "#f9a825",
        "#c62828",
        "#2e7d32",
        "#6a1b9a",
        "#2e7d32",
    ]
    assert strip[2].get("href") == "../report/dag/run_2/gate_a/1"
    assert (
        "run_2: FAIL · drop 0.02 [0, 0.04] · new since last run: SLICE_REGRESSION" in strip[2].find(f"{ns}title").text
    )
    assert len(points) == 6 and all(a.find(f"{ns}circle") is not None for a in points)
    assert {
        line.find(f"{ns}title").text for line in figure.findall(f"{ns}line") if line.find(f"{ns}title") is not None
    } == {
        "warn at 0.02",
        "fail at 0.05",
    }


def test_blocked_runs_are_listed_with_the_top_finding_in_words(client):
    text = client.get("/history/dag").text.replace("<wbr>", "")  # the break opportunities in names
    blocked = text.split("Runs blocked")[1].split("</table>")[0]
    rows = re.findall(r"<tr><td class=\"code\">(.*?)</td>.*?<a href=\"[^\"]*\">(.*?)</a>", blocked, flags=re.S)
    assert [run for _, run in rows] == ["run_4", "run_4", "run_2", "run_2"]
    assert "MIX_SHIFT explained" in blocked and "SMALL" in blocked


def test_filters_narrow_the_page(client):
    assert len(svgs(client.get("/history/dag", params={"gate": "gate_b"}).text)) == 1
    assert len(svgs(client.get("/history", params={"check": "judge_drift"}).text)) == 1
    day = client.get("/history/dag", params={"since": "2026-11-01", "until": "2026-11-01"})
    assert len(svgs(day.text)) == 2
    assert client.get("/history/dag", params={"since": "2026-11-02"}).text.count("<svg") == 0
    assert client.get("/history/dag", params={"since": "yesterday"}).status_code == 400
    assert client.get("/history/dag", params={"before": "../x"}).status_code == 400
    assert client.get("/history/dag", params={"runs": 501}).status_code == 422


def test_older_runs_are_one_link_away(client):
    first = client.get("/history/dag", params={"runs": 4}).text
    assert len(set(re.findall(r"<title>(run_\d): ", first))) == 4
    older = re.search(r'href="(\?[^"]*before=[^"]*)">Older runs', first).group(1).replace("&amp;", "&")
    second = client.get("/history/dag" + older).text
    titles = re.findall(r"<title>(run_\d): ", first + "|" + second)
    assert sorted(set(titles)) == [f"run_{i}" for i in range(6)] and "Newest runs" in second


def test_corrupt_index_records_are_counted_not_a_500(client, store):
    store.write_bytes(live_key("dag", stamp_of(START), "0" * 16), b"{broken")
    store.write_bytes(live_key("dag", stamp_of(START), "1" * 16), b"[]")
    page = client.get("/history/dag")
    assert page.status_code == 200 and "2 corrupt or foreign record(s)" in page.text


def test_hostile_strings_are_escaped(client, store):
    publish_gate(store, "dag", "<b>run</b>", "hostile", hostile_result())
    text = client.get("/history/dag").text
    assert "<b>run</b>" not in text and "&lt;b&gt;run&lt;/b&gt;" in text
    assert IMG_MESSAGE not in text and "<img" not in text
    assert len(svgs(text)) == 3


@pytest.mark.parametrize("allowed", [{"dag"}, {"other"}, set()])
def test_the_nav_page_shows_only_readable_dags(airflow_db, store, monkeypatch, allowed):
    import airflow.api_fastapi.core_api.security as security

    import airflow_evalguard.web.readable as readable

    class Manager:
        def get_authorized_dag_ids(self, *, user, method="GET"):
            return set(allowed)

        def is_authorized_dag(self, *, method, access_entity=None, details=None, user):
            return details.id in allowed

    monkeypatch.setattr(readable, "get_auth_manager", lambda: Manager())
    monkeypatch.setattr(security, "get_auth_manager", lambda: Manager())
    app = create_app(authorize=True)
    app.dependency_overrides[security.get_user] = lambda: object()
    client = TestClient(app)
    text = client.get("/history").text
    shown = set(re.findall(r"<h3>(\w+) · ", text))
    assert shown == allowed & {"dag", "other"}
    options = set(re.findall(r'<option value="(\w+)"', text.split('name="dag"')[1].split("</select>")[0]))
    assert options == allowed
    for dag in {"dag", "other"} - allowed:  # neither the filter nor the DAG tab reaches past them
        assert "<svg" not in client.get("/history", params={"dag": dag}).text
        assert client.get(f"/history/{dag}").status_code == 403


def test_an_index_that_lags_behind_the_store_is_flagged_until_a_rebuild(tmp_path, monkeypatch):
    from airflow_evalguard.publish.history_rebuild import rebuild_index
    from tests.publish.history_helpers import FailingIndexStore, publish_unindexed

    monkeypatch.setenv("AIRFLOW__EVALGUARD__ARTIFACT_ROOT", str(tmp_path))
    store = FailingIndexStore(tmp_path)
    publish_gate(store, "dag", "run_0", "gate_a", gate_result(minutes=0))
    publish_unindexed(store, "dag", "run_1", "gate_a", gate_result("FAIL", ["SLICE_REGRESSION"], minutes=60))
    app = create_app(authorize=False)  # a new app: no answer kept from before
    client = TestClient(app)
    assert "lags behind" not in client.get("/history/dag").text  # the check runs in the background
    app.state.lag_cache.settle()
    for page in (client.get("/history/dag").text, client.get("/history").text):
        assert "history index lags behind the store" in page and "dag (1 of 2)" in page
        assert "<code>evalguard history rebuild ROOT</code>" in page and "run_1" not in page
    rebuild_index(store)
    page = client.get("/history/dag").text  # the segments changed: the answer kept is dropped
    assert "lags behind" not in page and "run_1" in page
    app.state.lag_cache.settle()
    assert "lags behind" not in client.get("/history/dag").text


def test_the_page_lists_a_fail_its_policy_let_through_apart_from_the_runs_blocked(store):
    app = create_app(authorize=False)
    # run_2 failed its gates (FAIL); gate_a's task succeeded anyway (on_fail="warn")
    app.state.task_states = lambda keys: {key: (1, "success") for key in keys if key[1:3] == ("run_2", "gate_a")}
    text = TestClient(app).get("/history/dag").text.replace("<wbr>", "")
    blocked = text.split("Runs blocked")[1].split("</table>")[0]
    through = text.split("FAIL or INCONCLUSIVE let through")[1].split("</table>")[0]
    assert "run_2" in through and "gate_a" in through and "task succeeded" in through and "gate_b" not in through
    assert blocked.count(">run_2<") == 1 and blocked.count(">run_4<") == 2
    assert "task state unknown: the default outcome" in blocked
