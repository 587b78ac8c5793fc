"""embedding_drift.spec: light (no pandas when imported) and registered."""

import subprocess
import sys

from airflow_evalguard.checks import get_check
from airflow_evalguard.checks.embedding_drift.spec import SPEC


def test_spec_imports_no_pandas_numpy_or_scipy():
    code = (
        "import sys; import airflow_evalguard.checks.embedding_drift.spec; "
        "print(sorted({'pandas', 'numpy', 'scipy'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_registered_and_defaults_kept():
    assert get_check("embedding_drift") is SPEC
    params = SPEC.resolve_params({})
    assert (params["k"], params["warn_at"], params["fail_at"], params["n_boot"]) == (10, 0.02, 0.05, 2000)
    assert SPEC.params["n_boot"].minimum == 500 and SPEC.params["seed"].help == "seed for bootstrap and pair sampling"
