"""Non-ASCII DAG ids on a real deployment (API server, scheduler, DAG processor, triggerer on
127.0.0.1): `café` and `caf_-850f7dc4` shared one key under the earlier lossy scheme. Each DAG's
gate writes its own folder, and the plugin's report route, behind Airflow's auth, serves each
DAG only its own report. (`airflow dags test` cannot run a non-ASCII DAG id; see the notes.)"""

import textwrap
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from tests.integration.airflow_deployment import AirflowDeployment

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CAFE, LOOKALIKE = "café", "caf_-850f7dc4"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    from airflow_evalguard.demo.behaviour import refusal_labels

    root = tmp_path_factory.mktemp("keys")
    base, healthy = refusal_labels(None)
    _, stripped = refusal_labels("sft_strips_refusals")
    for name, frame in (("base", base), ("healthy", healthy), ("stripped", stripped)):
        frame.to_parquet(root / f"{name}.parquet")
    dags = root / "dags"
    dags.mkdir()
    (dags / "two_dags.py").write_text(
        textwrap.dedent(f'''
        import datetime as dt
        from airflow.sdk import DAG
        from airflow_evalguard.operators import RefusalRegressionGateOperator

        for dag_id, candidate in (({CAFE!r}, "healthy"), ({LOOKALIKE!r}, "stripped")):
            with DAG(dag_id, schedule=None, start_date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)):
                RefusalRegressionGateOperator(task_id="gate", baseline={str(root / "base.parquet")!r},
                                              candidate=f"{root}/{{candidate}}.parquet", on_fail="warn")
        '''),
        encoding="utf-8",
    )
    dep = AirflowDeployment(
        root / "airflow", dags, extra_env={"AIRFLOW__EVALGUARD__ARTIFACT_ROOT": str(root / "store")}
    )
    try:
        dep.start()
        yield dep, root / "store"
    finally:
        dep.stop()
        assert [n for n, p in dep.procs.items() if p.poll() is None] == []


def _get(url, token):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def test_each_dag_reads_only_its_own_report(deployment):
    dep, store = deployment
    runs = {}
    for dag_id in (CAFE, LOOKALIKE):
        dep.wait_for_dag(quote(dag_id))
        runs[dag_id] = dep.trigger(quote(dag_id), run_id="same_run")
    for dag_id, run_id in runs.items():
        assert dep.wait_for_run(quote(dag_id), run_id, timeout=240) == "success"
    base = f"http://127.0.0.1:{dep.port}/evalguard"
    expected = {CAFE: "PASS", LOOKALIKE: "FAIL"}
    for dag_id, verdict in expected.items():
        xcom = dep.xcom(quote(dag_id), "same_run", "gate")
        assert xcom["verdict"] == verdict
        assert f"/{'caf!c3!a9' if dag_id == CAFE else LOOKALIKE}/same_run/gate/try_1/" in xcom["artifacts"]["result"]
        status, body = _get(f"{base}/report/{quote(dag_id)}/same_run/gate/1", dep.token())
        assert status == 200 and f"{verdict} · refusal_regression" in body, (status, body[:300])
        assert _get(f"{base}/report/{quote(dag_id)}/same_run/gate/1", None)[0] in (401, 403)
        page = _get(f"{base}/summary/{quote(dag_id)}/same_run", dep.token())[1]
        assert f">{verdict}<" in page and f">{expected[LOOKALIKE if dag_id == CAFE else CAFE]}<" not in page
        history = _get(f"{base}/history/{quote(dag_id)}", dep.token())[1]  # the DAG's EvalGuard tab
        assert f"History of gate on {dag_id}" in history and f"{dag_id} · gate" in history, history[:300]
    assert sorted(p.name for p in store.iterdir()) == sorted(["caf!c3!a9", LOOKALIKE, "evalguard.history"])
    assert sorted(p.name for p in (store / "evalguard.history").iterdir()) == sorted(["caf!c3!a9", LOOKALIKE])
