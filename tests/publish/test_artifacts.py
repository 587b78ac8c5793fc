import json
import math

import pandas as pd
import pyarrow.parquet as pq

from airflow_evalguard.publish.artifacts import publish_result
from airflow_evalguard.result import CheckResult
from airflow_evalguard.store import LocalStore, RunLayout
from airflow_evalguard.verdicts import Verdict


def test_an_evidence_column_mixing_types_is_stored_as_text_not_lost(tmp_path):
    # Found by the hostile suite: a DataFrame (or JSON-lines) column holding numbers and text was
    # echoed into evidence, pyarrow refused it, and the whole result was lost with a traceback.
    evidence = pd.DataFrame({"item": pd.Series(["a", 1.5, None, math.nan, True], dtype=object), "value": range(5)})
    result = CheckResult(check="demo", verdict=Verdict.PASS, summary="ok", evidence=evidence)
    artifacts = publish_result(LocalStore(tmp_path), RunLayout(), result, report=False).artifacts
    stored = pq.read_table(artifacts["evidence"]).to_pydict()
    assert stored["item"] == ["a", "1.5", None, None, "True"]
    assert stored["value"] == [0, 1, 2, 3, 4]
    assert (tmp_path / "result.json").is_file()


def test_publish_writes_result_last_with_all_uris(tmp_path):
    store = LocalStore(tmp_path)
    result = CheckResult(
        check="x",
        verdict=Verdict.PASS,
        summary="ok",
        evidence=pd.DataFrame({"a": [1]}),
        tables={"weights": pd.DataFrame({"w": [1.0]})},
    )
    published = publish_result(store, RunLayout("d/r/t/try_1"), result)
    artifacts = published.artifacts
    assert result.artifacts == {}  # the result handed in is unchanged
    assert set(artifacts) == {"evidence", "weights", "report", "result"}
    stored = json.loads((tmp_path / "d/r/t/try_1/result.json").read_text())
    assert stored["artifacts"] == artifacts
    assert pd.read_parquet(artifacts["weights"])["w"].tolist() == [1.0]


def test_rewriting_a_folder_uncommits_it_first(tmp_path, monkeypatch):
    """A re-used prefix: while the new files replace the old ones, the old result.json is gone."""
    store = LocalStore(tmp_path)
    publish_result(
        store,
        RunLayout("p"),
        CheckResult(check="x", verdict=Verdict.PASS, summary="old", evidence=pd.DataFrame({"a": [1]})),
    )
    seen = []
    real_write = LocalStore.write_bytes

    def spy(self, key, data):
        seen.append((key, self.exists("p/result.json")))
        return real_write(self, key, data)

    monkeypatch.setattr(LocalStore, "write_bytes", spy)
    publish_result(
        store,
        RunLayout("p"),
        CheckResult(check="x", verdict=Verdict.FAIL, summary="new", evidence=pd.DataFrame({"a": [2]})),
    )
    assert [k for k, _ in seen] == ["p/evidence.parquet", "p/report.html", "p/result.json"]
    assert not any(committed for _, committed in seen)
    store.delete("p/nope.json")  # deleting what is not there is fine
