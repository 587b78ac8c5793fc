"""Adding a check needs its own package and one registry line: nothing else in the product.

tests/checks/plugin_example/ is a check written the way every check is (spec, decide on the core);
registering it is the one REGISTRY line below. Its docs page is the third touch, which
tests/test_docs.py demands for every registered check, so this test registers it only for itself.
"""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard import checks
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.operators import EvalGuardOperator
from airflow_evalguard.run import run_check
from airflow_evalguard.verdicts import Verdict


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(checks.REGISTRY, "failure_share", "tests.checks.plugin_example.spec")


def _rows(failures, n=2000):
    return pd.DataFrame({"failed": np.r_[np.ones(failures), np.zeros(n - failures)].astype(int)})


@pytest.mark.usefixtures("registered")
def test_runs_through_run_check_with_the_shared_result():
    failing = run_check("failure_share", {"rows": _rows(400)})
    passing = run_check("failure_share", {"rows": _rows(20)})
    assert (failing.verdict, passing.verdict) == (Verdict.FAIL, Verdict.PASS)
    assert failing.to_dict()["params"] == {"alpha": 0.05, "warn_at": 0.05, "fail_at": 0.1, "interval": "wilson"}
    assert failing.metrics["failure_share"].value == pytest.approx(0.2)
    assert [f.code for f in failing.findings] == ["FAILURE_SHARE"]


@pytest.mark.usefixtures("registered")
def test_the_generic_operator_validates_its_literal_params_at_parse_time():
    EvalGuardOperator(task_id="ok", check="failure_share", inputs={"rows": "x.parquet"}, check_params={"fail_at": 0.2})
    with pytest.raises(EvalGuardInputError, match="fail_at"):
        EvalGuardOperator(task_id="bad", check="failure_share", inputs={"rows": "x"}, check_params={"fail_at": 2})


def test_unregistered_it_does_not_exist():
    with pytest.raises(EvalGuardInputError, match="unknown check"):
        run_check("failure_share", {"rows": _rows(1)})
