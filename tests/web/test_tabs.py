"""The task-instance tab and the DAG-run tab, served by the reports app (no auth manager here;
the authorized app is checked in test_history_page.py and on the real deployment)."""

import pytest
from fastapi.testclient import TestClient

from airflow_evalguard.plugin import EXTERNAL_VIEWS, EvalGuardPlugin
from airflow_evalguard.store import LocalStore
from airflow_evalguard.store.history_keys import HISTORY_FOLDER
from airflow_evalguard.web.app import create_app
from tests.publish.history_helpers import gate_result, publish_gate
from tests.report.hostile import SCRIPT_SLICE, hostile_result

RUN = "manual__2026-11-30T10:00:00+00:00"


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW__EVALGUARD__ARTIFACT_ROOT", str(tmp_path))
    store = LocalStore(tmp_path)
    publish_gate(store, "dag", RUN, "gate", gate_result("FAIL", ["SLICE_REGRESSION"], minutes=1), try_number=1)
    publish_gate(store, "dag", RUN, "gate", gate_result("PASS", minutes=2), try_number=2)
    for index in range(2):
        publish_gate(store, "dag", RUN, "mapped", gate_result("WARN", ["W"], minutes=3), map_index=index)
    return store


@pytest.fixture()
def client(store):
    app = create_app(authorize=False)
    app.state.gate_instances = lambda dag_id, run_id: [
        ("gate", -1, "success"),
        ("never_ran", -1, "upstream_failed"),
        ("mapped", 0, "success"),
    ]
    return TestClient(app, raise_server_exceptions=False)


def test_the_plugin_declares_the_four_views():
    assert EvalGuardPlugin.external_views == EXTERNAL_VIEWS
    assert {(v["destination"], v["name"]) for v in EXTERNAL_VIEWS} == {
        ("task_instance", "EvalGuard"),
        ("dag_run", "EvalGuard gates"),
        ("dag", "EvalGuard"),
        ("nav", "EvalGuard"),
    }
    assert len({v["url_route"] for v in EXTERNAL_VIEWS}) == 4


def test_the_ti_tab_shows_the_latest_try_and_links_the_older_one(client):
    for placeholder in ("{MAP_INDEX}", "-1", ""):
        page = client.get(f"/ti/dag/{RUN}/gate", params={"map_index": placeholder})
        assert page.status_code == 200 and "Try 2 (latest)" in page.text and "PASS summary" in page.text
        assert 'href="?map_index=-1&amp;try_number=1"' in page.text
    older = client.get(f"/ti/dag/{RUN}/gate", params={"map_index": -1, "try_number": 1})
    assert "FAIL summary" in older.text and "Try 1 ·" in older.text
    assert "frame-ancestors 'self'" in older.headers["content-security-policy"]
    assert older.headers["x-frame-options"] == "SAMEORIGIN"


def test_the_ti_tab_takes_the_map_index_and_says_when_there_is_no_result(client):
    assert "WARN summary" in client.get(f"/ti/dag/{RUN}/mapped", params={"map_index": 1}).text
    empty = client.get(f"/ti/dag/{RUN}/mapped", params={"map_index": 5})
    assert empty.status_code == 200 and "stored no EvalGuard result" in empty.text
    assert client.get(f"/ti/dag/{RUN}/gate", params={"try_number": 9}).status_code == 404
    assert client.get(f"/ti/dag/{RUN}/gate", params={"map_index": "-2"}).status_code == 400
    assert client.get(f"/ti/dag/{RUN}/gate", params={"map_index": "x"}).status_code == 400


def test_a_result_missing_from_the_index_is_flagged(client, store):
    for key in store.list_keys(HISTORY_FOLDER):
        store.delete(key)
    assert "not in the history index" in client.get(f"/ti/dag/{RUN}/gate").text
    assert "3 result(s) of this run are missing from the history index" in client.get(f"/run/dag/{RUN}").text


def test_the_run_tab_lists_every_gate_with_its_metric_and_the_ones_without_result(client):
    page = client.get(f"/run/dag/{RUN}")
    assert page.status_code == 200 and "missing from the history index" not in page.text
    text = page.text.replace("<wbr>", "")  # names carry break opportunities (web/history_html.ident)
    assert "drop 0.01 [-0.01, 0.03]" in text and ">mapped[0]<" in text and ">mapped[1]<" in text
    assert "no result stored (task state: upstream_failed)" in text and "never_ran" in text
    assert f'href="../../report/dag/{RUN.replace(":", "%3A").replace("+", "%2B")}/gate/2"' in text


def test_the_run_tab_without_airflows_task_instances_says_so(store):
    app = create_app(authorize=False)
    app.state.gate_instances = lambda dag_id, run_id: None
    page = TestClient(app).get(f"/run/dag/{RUN}").text
    assert "Gates that stored no result are not listed" in page and "never_ran" not in page


def test_hostile_strings_are_escaped_in_both_tabs(client, store):
    publish_gate(store, "dag", RUN, "hostile", hostile_result())
    for path in (f"/run/dag/{RUN}", f"/ti/dag/{RUN}/hostile"):
        text = client.get(path).text
        assert SCRIPT_SLICE not in text and "<img src=x" not in text


SUBCLASS_DAG = '''
from datetime import datetime

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG
from airflow_evalguard.operators import EvalGuardSummaryOperator, SliceRetentionGateOperator


class TeamRetentionGate(SliceRetentionGateOperator):
    """A user's own gate: our operator under another class name."""


with DAG("evalguard_subclass_gate", schedule=None, start_date=datetime(2026, 1, 1)):
    plain = EmptyOperator(task_id="train")
    ours = SliceRetentionGateOperator(task_id="stock_gate", teacher="t.csv", student="s.csv")
    theirs = TeamRetentionGate(task_id="team_gate", teacher="t.csv", student="s.csv")
    summary = EvalGuardSummaryOperator(task_id="summary", gate_task_ids=["stock_gate", "team_gate"])
    plain >> [ours, theirs] >> summary
'''


def test_a_subclass_of_a_gate_operator_is_a_gate_by_its_serialized_report_link(airflow_db, tmp_path):
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db

    from airflow_evalguard.web.tabs import gate_task_ids, is_gate

    (tmp_path / "subclass_dag.py").write_text(SUBCLASS_DAG)
    DagBundlesManager().sync_bundles_to_db()
    bag = DagBag(dag_folder=str(tmp_path / "subclass_dag.py"))
    assert bag.import_errors == {}
    sync_bag_to_db(bag, "dags-folder", None)
    gate_ids = gate_task_ids("evalguard_subclass_gate")
    assert gate_ids == {"stock_gate", "team_gate"}  # neither the plain task nor the summary
    assert is_gate("TeamRetentionGate", "team_gate", gate_ids) and not is_gate("EmptyOperator", "train", gate_ids)
    assert is_gate("SliceRetentionGateOperator", "stock_gate", frozenset()) and gate_task_ids("no_such_dag") == set()
