"""feedback_provenance.spec: light (no pandas when imported), its detector list is the scanner's."""

import subprocess
import sys

from airflow_evalguard.checks import get_check
from airflow_evalguard.checks.feedback_provenance.spec import PII_KINDS, SPEC
from airflow_evalguard.pii.detectors import KINDS


def test_the_written_out_detector_list_is_the_scanners_in_its_order():
    assert PII_KINDS == KINDS
    assert SPEC.params["pii"].default == list(KINDS)


def test_spec_imports_no_pandas_numpy_or_the_pii_package():
    code = (
        "import sys; import airflow_evalguard.checks.feedback_provenance.spec; "
        "print(sorted({'pandas', 'numpy', 'pyarrow', 'airflow_evalguard.pii'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_registered():
    assert get_check("feedback_provenance") is SPEC
