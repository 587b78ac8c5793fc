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
    {
        "parquet": lambda p: frame.to_parquet(p),
        "csv": lambda p: frame.to_csv(p, index=False),
        "jsonl": lambda p: frame.to_json(p, orient="records", lines=True),
    }[suffix](path)
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


# -- malformed files are bad input, never a retryable environment error --------------------------
from tests.malformed import TABLE_KINDS, good_frame, gzip_bomb, npy_claiming_rows, write_kind  # noqa: E402


@pytest.mark.parametrize("kind", sorted(TABLE_KINDS))
def test_malformed_file_is_an_input_error_naming_the_input(tmp_path, kind):
    path = write_kind(tmp_path, kind)
    table = TableInput("sample", str(path))
    with pytest.raises(EvalGuardInputError) as err:
        table.require(["ts"])
        table.read(["ts", "region"])
    message = str(err.value)
    assert message.startswith("input 'sample'") and "\n" not in message
    assert TABLE_KINDS[kind][2] in message and err.value.input_name == "sample"


def test_non_utf8_in_a_column_not_read_is_still_refused(tmp_path):
    path = write_kind(tmp_path, "csv_not_utf8")
    with pytest.raises(EvalGuardInputError, match="not UTF-8"):
        TableInput("sample", str(path)).read(["ts"])


def test_gzip_inputs_read_back(tmp_path):
    import gzip

    frame = good_frame()
    (tmp_path / "t.csv.gz").write_bytes(gzip.compress(frame.to_csv(index=False).encode()))
    (tmp_path / "t.jsonl.gz").write_bytes(gzip.compress(frame.to_json(orient="records", lines=True).encode()))
    frame.to_parquet(tmp_path / "plain.parquet")
    (tmp_path / "t.parquet.gz").write_bytes(gzip.compress((tmp_path / "plain.parquet").read_bytes()))
    for name in ("t.csv.gz", "t.jsonl.gz", "t.parquet.gz"):
        table = TableInput("sample", str(tmp_path / name))
        assert table.columns() == ["ts", "region"]
        assert table.read(["region"])["region"].astype(str).tolist() == frame["region"].tolist()


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setenv("EVALGUARD_MAX_DECOMPRESSED_BYTES", str(1 << 20))


@pytest.mark.parametrize("name", ["bomb.csv.gz", "bomb.jsonl.gz", "bomb.parquet.gz"])
def test_decompression_bomb_is_refused(tmp_path, small_limit, name):
    path = tmp_path / name
    path.write_bytes(gzip_bomb(20 << 20))
    with pytest.raises(EvalGuardInputError, match=r"input 'sample'.*more than 1,048,576 bytes when decompressed"):
        TableInput("sample", str(path)).read()


def test_bomb_from_s3_bytes_is_refused(small_limit, monkeypatch):
    monkeypatch.setattr(TableInput, "_s3_bytes", lambda self: gzip_bomb(20 << 20))
    with pytest.raises(EvalGuardInputError, match="when decompressed"):
        TableInput("sample", "s3://bucket/exports/bomb.csv.gz").read(["ts"])


def test_gzip_from_s3_bytes_is_decompressed(monkeypatch):
    import gzip

    monkeypatch.setattr(TableInput, "_s3_bytes", lambda self: gzip.compress(good_frame().to_csv(index=False).encode()))
    assert len(TableInput("sample", "s3://bucket/exports/t.csv.gz").read(["ts"])) == 300


def test_limit_is_enforced_while_decompressing_not_after():
    import io as stdlib_io

    from airflow_evalguard.bounded_read import InputTooLargeError, open_checked

    blob = gzip_bomb(200 << 20)
    raw = stdlib_io.BytesIO(blob)
    reader = open_checked(raw, label="input 'x'", gzipped=True, text=True, limit=1 << 20)
    with pytest.raises(InputTooLargeError):
        while reader.read(1 << 16):
            pass
    # Stopped after about 1 MiB of output: only a small part of the compressed stream was consumed.
    assert raw.tell() < len(blob) // 20


def test_limit_from_airflow_config_and_bad_values(monkeypatch):
    from airflow_evalguard import settings

    monkeypatch.delenv("EVALGUARD_MAX_DECOMPRESSED_BYTES", raising=False)
    monkeypatch.setenv("AIRFLOW__EVALGUARD__MAX_DECOMPRESSED_BYTES", "12345")
    assert settings.max_decompressed_bytes() == 12345
    monkeypatch.delenv("AIRFLOW__EVALGUARD__MAX_DECOMPRESSED_BYTES")
    assert settings.max_decompressed_bytes() == 2 << 30
    monkeypatch.setenv("EVALGUARD_MAX_DECOMPRESSED_BYTES", "lots")
    with pytest.raises(EvalGuardInputError, match="EVALGUARD_MAX_DECOMPRESSED_BYTES must be a whole number"):
        settings.max_decompressed_bytes()
    with settings.max_decompressed_bytes_set_to(7):
        assert settings.max_decompressed_bytes() == 7


def test_npy_header_claiming_more_than_the_file_holds(tmp_path):
    path = tmp_path / "huge.npy"
    path.write_bytes(npy_claiming_rows(10**11))
    with pytest.raises(EvalGuardInputError, match=r"input 'probe_old'.*shape \(100000000000, 8\)"):
        TableInput("probe_old", str(path)).read_array()


def test_npy_object_arrays_are_never_unpickled(tmp_path):
    import numpy as np

    path = tmp_path / "obj.npy"
    np.save(path, np.array([[{"a": 1}]], dtype=object), allow_pickle=True)
    with pytest.raises(EvalGuardInputError, match="input 'probe_old'"):
        TableInput("probe_old", str(path)).read_array()


def test_npy_valid_still_reads(tmp_path):
    import numpy as np

    np.save(tmp_path / "ok.npy", np.ones((5, 3)))
    assert TableInput("probe_old", str(tmp_path / "ok.npy")).read_array().shape == (5, 3)


def test_infrastructure_errors_stay_retryable(tmp_path, monkeypatch):
    def unreachable(self):
        raise ConnectionError("S3 endpoint unreachable")

    monkeypatch.setattr(TableInput, "_s3_bytes", unreachable)
    with pytest.raises(ConnectionError):
        TableInput("sample", "s3://bucket/t.csv.gz").read()
    path = tmp_path / "t.csv"
    good_frame().to_csv(path, index=False)
    real_open = open

    def denied(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", denied)
    with pytest.raises(PermissionError):
        TableInput("sample", str(path)).read()


def test_a_repeated_csv_column_is_refused_not_renamed(tmp_path):
    # Found in review: the second `correct` (inverted) became `correct.1` and the check read the
    # first one, PASS.
    path = tmp_path / "teacher.csv"
    path.write_text("example_id,skill,correct,correct\n1,a,1,0\n2,a,0,1\n")
    with pytest.raises(EvalGuardInputError, match=r"\['correct'\] appear more than once"):
        TableInput("teacher", str(path)).read(["example_id", "correct"])
    with pytest.raises(EvalGuardInputError, match="more than once"):
        TableInput("teacher", str(path)).read()


def test_repeated_columns_in_parquet_and_frames_are_refused(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    pq.write_table(pa.table([[1, 2], [3, 4]], names=["x", "x"]), path)
    with pytest.raises(EvalGuardInputError, match="more than once"):
        TableInput("t", str(path)).read(["x"])
    frame = pd.DataFrame([[1, 2]], columns=["x", "x"])
    with pytest.raises(EvalGuardInputError, match="more than once"):
        TableInput("t", frame).read(["x"])


def test_a_header_only_csv_still_has_its_columns(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("a,b\n")
    assert TableInput("h", str(path)).columns() == ["a", "b"]
