"""Test set-up shared by the whole suite.

Airflow reads its configuration on first import, so the environment is fixed here, at import
time of the root conftest, before any test module imports airflow: a throw-away AIRFLOW_HOME
with SQLite, no example DAGs, this repo's dags/ folder.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"

_HOME = tempfile.mkdtemp(prefix="evalguard-airflow-home-")
# Removed when the test process exits (each xdist worker has its own), so runs leave nothing in
# /tmp; EVALGUARD_KEEP_TEST_HOME=1 keeps it to look at a failed run's metadata DB and artifacts.
if not os.environ.get("EVALGUARD_KEEP_TEST_HOME"):
    atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
os.environ["AIRFLOW_HOME"] = _HOME
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "True"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO / "dags")
os.environ["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] = "False"
os.environ["AIRFLOW__EVALGUARD__ARTIFACT_ROOT"] = str(Path(_HOME) / "evalguard")
os.environ["EVALGUARD_DEMO_DIR"] = str(Path(_HOME) / "evalguard_demo")
os.environ.pop("AIRFLOW_CONN_AWS_DEFAULT", None)


@pytest.fixture(scope="session")
def airflow_home() -> Path:
    return Path(_HOME)


@pytest.fixture(scope="session")
def airflow_db(airflow_home):
    """A fresh SQLite metadata DB, made once per session (~3 s)."""
    from airflow.utils import db

    db.resetdb()
    return airflow_home


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


# `make test` runs the suite on two workers (pytest-xdist, --dist loadfile): a file's tests run in
# order on one worker, so a module's deployment or server starts once for them. (xdist_group marks
# are not used: pytest-xdist 3.8 renames `item._nodeid`, which pytest 9 no longer reads, so
# --dist loadgroup silently groups nothing.)


def pytest_sessionfinish(session):
    """On an xdist worker: hand the calibration rows it recorded to the controller."""
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:
        from dataclasses import asdict

        from tests.calibration.harness import ROWS

        worker_output["evalguard_calibration_rows"] = [asdict(row) for row in ROWS]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """On the xdist controller: gather every worker's calibration rows for the table."""
    from tests.calibration.harness import ROWS, Row

    ROWS.extend(Row(**row) for row in getattr(node, "workeroutput", {}).get("evalguard_calibration_rows", []))


def pytest_terminal_summary(terminalreporter):
    """Print the calibration table after the run (also under `make test`)."""
    from tests.calibration.harness import ROWS

    if not ROWS:
        return
    tr = terminalreporter
    tr.section("EvalGuard calibration")
    tr.write_line(f"{'check':<22} {'scenario':<46} {'sims':>5} {'observed':>9}  requirement")
    # Workers finish in any order: sort so two runs' tables can be compared line by line.
    for r in sorted(ROWS, key=lambda row: (row.check, row.scenario)):
        mark = "ok " if r.ok else "BAD"
        tr.write_line(
            f"{r.check:<22} {r.scenario:<46} {r.sims:>5} {r.observed:>9.3f}  {r.requirement} {mark}"
            + (f"  [{r.detail}]" if r.detail else "")
        )
