import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput


@pytest.fixture
def frame():
    return pd.DataFrame({"ts": ["2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"], "region": ["eu", "us"], "x": [1, 2]})


@pytest.mark.parametrize("suffix", ["parquet", "csv", "jsonl"])
def test_formats_read_back_pruned(tmp_path, frame, suffix):
    path = tmp_path / f"t.{suffix}"
    {"parquet": lambda p: frame.to_parquet(p), "csv": lambda p: frame.to_csv(p, index=False),
     "jsonl": lambda p: frame.to_json(p, orient="records", lines=True)}[suffix](path)
    table = TableInput("sample", str(path))
    assert table.columns() == ["ts", "region", "x"]
    got = table.read(["region"])
    assert list(got.columns) == ["region"] and got["region"].astype(str).tolist() == ["eu", "us"]
    fp = table.fingerprint()
    assert fp.rows == 2 and fp.uri == str(path.resolve()) and len(fp.sha256) == 64


def test_fingerprint_changes_with_content(tmp_path, frame):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    frame.to_csv(a, index=False)
    frame.assign(x=[1, 3]).to_csv(b, index=False)
    assert TableInput("s", str(a)).sha256() != TableInput("s", str(b)).sha256()
    assert TableInput("s", frame).sha256() == TableInput("s", frame.copy()).sha256()


def test_missing_column_names_input_and_column(frame):
    with pytest.raises(EvalGuardInputError, match=r"input 'reference': missing column\(s\) \['hour'\]") as err:
        TableInput("reference", frame).read(["hour"])
    assert err.value.input_name == "reference" and err.value.column == "hour"


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(EvalGuardInputError, match="cannot tell the format"):
        (tmp_path / "t.xlsx").write_text("x")
        TableInput("sample", str(tmp_path / "t.xlsx")).read()
    with pytest.raises(EvalGuardInputError, match="no such file"):
        TableInput("sample", str(tmp_path / "missing.csv")).read()


def test_corrupt_parquet_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(EvalGuardInputError, match="input 'sample'"):
        TableInput("sample", str(bad)).read()


def test_jsonl_is_parsed_once_for_column_check_and_read(tmp_path, frame, monkeypatch):
    path = tmp_path / "t.jsonl"
    frame.to_json(path, orient="records", lines=True)
    calls = []
    real = pd.read_json
    monkeypatch.setattr(pd, "read_json", lambda *a, **k: calls.append(1) or real(*a, **k))
    table = TableInput("sample", str(path))
    assert table.columns() == ["ts", "region", "x"]
    assert list(table.read(["x"]).columns) == ["x"]
    assert len(calls) == 1
