"""`airflow providers list` and `airflow plugins` show EvalGuard (the real CLI, in a subprocess)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def airflow_cli(*args: str) -> str:
    binary = shutil.which("airflow", path=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=180, env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.parametrize(
    "command, expected",
    [
        (("providers", "list", "--output", "json"), '"package_name": "airflow-evalguard"'),
        (("plugins", "--output", "json"), '"name": "evalguard"'),
    ],
)
def test_airflow_cli_lists_evalguard(airflow_db, command, expected):
    out = airflow_cli(*command)
    assert expected in out.replace("'", '"')
