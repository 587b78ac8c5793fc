import math

import pandas as pd
import pyarrow.parquet as pq

from airflow_evalguard.result import CheckResult
from airflow_evalguard.store import LocalStore
from airflow_evalguard.store.artifacts import write_artifacts
from airflow_evalguard.verdicts import Verdict


def test_an_evidence_column_mixing_types_is_stored_as_text_not_lost(tmp_path):
    # Found by the hostile suite: a DataFrame (or JSON-lines) column holding numbers and text was
    # echoed into evidence, pyarrow refused it, and the whole result was lost with a traceback.
    evidence = pd.DataFrame({"item": pd.Series(["a", 1.5, None, math.nan, True], dtype=object), "value": range(5)})
    result = CheckResult(check="demo", verdict=Verdict.PASS, summary="ok", evidence=evidence)
    artifacts = write_artifacts(LocalStore(tmp_path), "", result, report=False)
    stored = pq.read_table(artifacts["evidence"]).to_pydict()
    assert stored["item"] == ["a", "1.5", None, None, "True"]
    assert stored["value"] == [0, 1, 2, 3, 4]
    assert (tmp_path / "result.json").is_file()
