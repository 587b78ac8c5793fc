"""Test set-up shared by the whole suite.

Airflow reads its configuration on first import, so the environment is fixed here, at import
time of the root conftest, before any test module imports airflow: a throw-away AIRFLOW_HOME
with SQLite, no example DAGs, this repo's dags/ folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"

_HOME = tempfile.mkdtemp(prefix="evalguard-airflow-home-")
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
