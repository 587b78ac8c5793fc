"""End to end on a real deployment: API server, scheduler, DAG processor and triggerer (each on
127.0.0.1, LocalExecutor, SQLite), the repository's DAGs, and the S3 artifact store on a real
S3-compatible server (SeaweedFS). Runs the demo DAG with and without a fault through the REST
API v2, reads the gate's XCom, follows the "EvalGuard report" extra link through the plugin
(with and without a token), and runs the asset chain eval -> gates -> deploy. `make e2e` runs this
file alone and prints the timings; every process is stopped by pid."""

import time
import urllib.error
import urllib.request

import pytest

from tests.integration.airflow_deployment import REPO, AirflowDeployment

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def deployment(s3_server, tmp_path_factory):
    import os

    root = tmp_path_factory.mktemp("e2e")
    s3_server.client().create_bucket(Bucket="evalguard-e2e")
    env = {
        "AIRFLOW__EVALGUARD__ARTIFACT_ROOT": "s3://evalguard-e2e/artifacts",
        "AIRFLOW_CONN_AWS_DEFAULT": os.environ["AIRFLOW_CONN_AWS_DEFAULT"],
        "EVALGUARD_DEMO_DIR": str(root / "demo_data"),
    }
    dep = AirflowDeployment(root / "airflow", REPO / "dags", extra_env=env)
    t0 = time.monotonic()
    try:
        TIMINGS["start (migrate + 4 components healthy)"] = dep.start()
        yield dep
    finally:
        dep.stop()
        alive = [n for n, p in dep.procs.items() if p.poll() is None]
        TIMINGS["total"] = time.monotonic() - t0
        print("\nEnd-to-end timings:")
        for name, seconds in TIMINGS.items():
            print(f"  {name:<48} {seconds:6.1f} s")
        assert alive == [], f"still running: {alive}"


def _get(url: str, token: str | None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _run(dep, dag_id, conf=None, timeout=420):
    dep.wait_for_dag(dag_id)
    t0 = time.monotonic()
    run_id = dep.trigger(dag_id, conf)
    state = dep.wait_for_run(dag_id, run_id, timeout=timeout)
    TIMINGS[f"{dag_id} {conf or ''}"] = time.monotonic() - t0
    return run_id, state


@pytest.mark.parametrize("fault", ["none", "cron_window"])
def test_demo_dag_through_the_rest_api_with_reports_on_s3(deployment, s3_server, fault):
    dep = deployment
    run_id, state = _run(dep, "evalguard_demo", {"fault": fault})
    tasks = dep.task_states("evalguard_demo", run_id)
    if fault == "none":
        assert state == "success", tasks
        assert tasks["promote"] == "success"
    else:
        assert state == "failed" and tasks["sampling_window_gate"] == "failed", tasks
        assert tasks["promote"] == "upstream_failed"
    xcom = dep.xcom("evalguard_demo", run_id, "sampling_window_gate")
    assert xcom["verdict"] == ("PASS" if fault == "none" else "FAIL")
    assert xcom["artifacts"]["result"].startswith("s3://evalguard-e2e/artifacts/evalguard_demo/")
    keys = [o["Key"] for o in s3_server.client().list_objects_v2(Bucket="evalguard-e2e")["Contents"]]
    assert any(k.endswith("sampling_window_gate/try_1/report.html") for k in keys)

    links = dep.api("GET", f"/api/v2/dags/evalguard_demo/dagRuns/{run_id}/taskInstances/sampling_window_gate/links")
    url = links["extra_links"]["EvalGuard report"]
    assert url, links  # pushed by the worker when the gate ran
    if url.startswith("/"):
        url = f"http://127.0.0.1:{dep.port}{url}"
    status, body = _get(url, dep.token())
    assert status == 200 and 'id="verdict"' in body and ("FAIL" in body if fault != "none" else "PASS" in body)
    assert _get(url, None)[0] in (401, 403)  # the user's Airflow auth, no public reports
    status, _ = _get(f"http://127.0.0.1:{dep.port}/evalguard/report/..%2F..%2F/x/y/1", dep.token())
    assert status in (400, 404, 422)


def test_gates_around_a_dag_you_do_not_own(deployment):
    dep = deployment
    for dag_id in ("evalguard_asset_gates", "evalguard_asset_deploy"):
        dep.wait_for_dag(dag_id)

    def runs(dag_id):
        return dep.api("GET", f"/api/v2/dags/{dag_id}/dagRuns?order_by=-start_date")["dag_runs"]

    def wait_for_new_run(dag_id, known, timeout=240):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fresh = [r for r in runs(dag_id) if r["dag_run_id"] not in known]
            if fresh:
                return fresh[0]["dag_run_id"]
            time.sleep(2)
        return None

    # healthy eval: the gates run on the eval's asset, pass, and the deploy DAG runs on theirs
    gate_runs, deploy_runs = (
        {r["dag_run_id"] for r in runs("evalguard_asset_gates")},
        {r["dag_run_id"] for r in runs("evalguard_asset_deploy")},
    )
    _, state = _run(dep, "evalguard_asset_eval", {"fault": "none"})
    assert state == "success"
    gate_run = wait_for_new_run("evalguard_asset_gates", gate_runs)
    assert gate_run and dep.wait_for_run("evalguard_asset_gates", gate_run) == "success"
    deploy_run = wait_for_new_run("evalguard_asset_deploy", deploy_runs)
    assert deploy_run and dep.wait_for_run("evalguard_asset_deploy", deploy_run) == "success"
    assert dep.xcom("evalguard_asset_deploy", deploy_run, "deploy")["verdict"] == "PASS"

    # a biased eval: the gates fail, "validated" is never emitted, nothing deploys
    gate_runs |= {gate_run}
    deploy_runs |= {deploy_run}
    _, state = _run(dep, "evalguard_asset_eval", {"fault": "cron_window"})
    assert state == "success"  # the eval DAG itself knows nothing of the gates
    gate_run = wait_for_new_run("evalguard_asset_gates", gate_runs)
    assert gate_run and dep.wait_for_run("evalguard_asset_gates", gate_run) == "failed"
    assert wait_for_new_run("evalguard_asset_deploy", deploy_runs, timeout=20) is None
    TIMINGS["asset chain (healthy + blocked)"] = sum(v for k, v in TIMINGS.items() if "asset_eval" in k)


def _demo_runs(dep, state, faults):
    """One demo run per entry of `faults` that ended in `state`: the earlier tests' when this
    module ran them, new ones (with the fault at that place) for the rest, so the test does not
    rely on the order tests run in. Two of each: the history must list every blocked run and no
    healthy one (each new run took 50-105 s here, 2 cores)."""
    runs = dep.api("GET", "/api/v2/dags/evalguard_demo/dagRuns?order_by=-start_date")["dag_runs"]
    found = [r["dag_run_id"] for r in runs if r["state"] == state][: len(faults)]
    for fault in faults[len(found) :]:
        run_id, ended = _run(dep, "evalguard_demo", {"fault": fault})
        assert ended == state, (fault, ended)
        found.append(run_id)
    return found


def test_evalguard_views_inside_the_airflow_ui(deployment, tmp_path):
    """Log in as a person would, open the run's "EvalGuard gates" tab, the failed gate's
    "EvalGuard" tab and the nav page, at 1400 and 800 px; screenshots under tmp_path."""
    from tests.integration.browser import start_browser, stop_browser
    from tests.integration.ui_views import log_in, open_view, view_urls

    dep = deployment
    t_runs = time.monotonic()
    failed_runs = _demo_runs(dep, "failed", ["cron_window", "cron_window"])
    passed_runs = _demo_runs(dep, "success", ["none", "none"])
    TIMINGS["demo runs the UI views needed"] = time.monotonic() - t_runs
    failed = failed_runs[0]
    base = f"http://127.0.0.1:{dep.port}"
    urls = view_urls(base, "evalguard_demo", failed, "sampling_window_gate")
    browser = start_browser(1400, 1100)
    t0 = time.monotonic()
    try:
        log_in(browser, base, dep.home)
        for width in (1400, 800):
            browser.set_window_size(width, 1100)
            run_tab = open_view(browser, urls["run"], "EvalGuard gates of")
            gate_line = next(line for line in run_tab.splitlines() if line.startswith("sampling_window_gate"))
            assert "FAIL" in gate_line and "tvd[hour_of_day]" in gate_line, run_tab
            browser.switch_to.default_content()
            browser.save_screenshot(str(tmp_path / f"run_tab_{width}.png"))
            report = open_view(browser, urls["task"], "sampling_window")
            assert "FAIL" in report and "Try 1 (latest)" in report, report[:500]
            browser.switch_to.default_content()
            browser.save_screenshot(str(tmp_path / f"task_tab_{width}.png"))
            history = open_view(browser, urls["nav"], "Runs blocked")
            # the blocked runs (the gate's task failed, as Airflow says), before any let through
            blocked = history.split("Runs blocked")[1].split("let through")[0].split("evalguard_demo · ")[0]
            assert all(run in blocked for run in failed_runs), blocked
            assert not any(run in blocked for run in passed_runs) and "task failed" in blocked, blocked
            browser.switch_to.default_content()
            browser.save_screenshot(str(tmp_path / f"nav_history_{width}.png"))
            open_view(browser, urls["dag"], "EvalGuard history of evalguard_demo")
            browser.switch_to.default_content()
            browser.save_screenshot(str(tmp_path / f"dag_history_{width}.png"))
    finally:
        stop_browser(browser)
    TIMINGS["UI views in Chromium (2 widths)"] = time.monotonic() - t0
    print("\nEvalGuard view screenshots:", *sorted(str(p) for p in tmp_path.glob("*.png")), sep="\n  ")
