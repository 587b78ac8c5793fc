"""feedback_provenance's files, read byte by byte: nothing of a rejected row in accepted.parquet
(no parquet dictionary entry, statistic or metadata), the input's dtypes kept, no raw PII in
evidence.parquet, report.html or result.json, and with pii_action="redact" no raw PII anywhere.

Every input format (parquet, csv, jsonl) goes through the CLI, as a deployment would run it.
"""

from __future__ import annotations

import base64
import contextlib
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from airflow_evalguard.checks.feedback_provenance.read import REASONS, ROW
from airflow_evalguard.cli import main

# Planted values: each is unique in the input, so finding its bytes anywhere means it leaked.
EMAIL = "zelda.quux@example.org"
AUTHOR_EMAIL = "mallory.author@example.net"
NOTE_CARD = "5555 5555 5555 4444"
CARD = "4111 1111 1111 1111"
SECRET = "sk-proj-PLANTEDabcdefghijklmn0123456789"
PHONE = "+1 415 555 0199"
IBAN = "GB82 WEST 1234 5698 7654 32"
IP = "203.0.113.77"
STAGING_NOTE = "staging tester kim.lee@example.com"  # a rejected row's note: a PII value of its own
STAGING_EMAIL = "kim.lee@example.com"
PLANTED = (EMAIL, AUTHOR_EMAIL, NOTE_CARD, CARD, SECRET, PHONE, IBAN, IP, STAGING_EMAIL)
ALSO_REJECTED = ("CONFIDENTIAL-REJECTED-SURFACE",)  # not PII: a rejected row's own category value

N = 120


def _frame() -> pd.DataFrame:
    rows = []
    for i in range(N):
        rows.append(
            {
                "text": f"answer {i} was {'good' if i % 2 else 'bad'}",
                "environment": "production",
                "surface": "chat_widget",
                "author_id": f"cust{i:04d}",
                "author_type": "customer",
                "consent": "yes",
                "notes": f"n{i % 7}",
                "score": i % 5,
            }
        )
    rows[1]["text"] = f"my key is {SECRET}"
    rows[2]["text"] = f"card {CARD} charged twice"
    rows[3]["text"] = f"mail me at {EMAIL} please"
    rows[4]["text"] = f"call {PHONE} or wire to {IBAN}"
    rows[5]["text"] = f"login from {IP} failed"
    rows[6]["author_id"] = AUTHOR_EMAIL  # PII in a column that is not the text
    rows[7]["notes"] = f"paid with {NOTE_CARD}"  # and in a free-form column
    rows[8]["environment"], rows[8]["notes"] = "staging", STAGING_NOTE
    rows[9]["surface"] = ALSO_REJECTED[0]
    return pd.DataFrame(rows)


def _write(frame: pd.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_json(path, orient="records", lines=True)


def _run(tmp_path: Path, fmt: str, **params) -> Path:
    path = tmp_path / f"candidates.{fmt}"
    _write(_frame(), path)
    out = tmp_path / "out"
    args = [
        "run",
        "feedback_provenance",
        "--input",
        f"candidates={path}",
        "--out",
        str(out),
        "--param",
        "max_rejected_share=0.5",
        "--param",
        "max_author_share=1",
        "--param",
        'allowed_surfaces=["chat_widget"]',
    ]
    for k, v in params.items():
        args += ["--param", f"{k}={v}"]
    rc = main(args)
    assert rc in (0, 1), rc
    return out


def _parquet_texts(path: Path) -> list[str]:
    """Everything a parquet file can tell a reader, as text: every value and every dictionary
    entry of every column (read as stored, dictionaries whole), column statistics, the key-value
    metadata (pandas' and the base64 Arrow schema, decoded), and the raw bytes themselves."""
    raw = path.read_bytes()
    out = [raw.decode("latin-1")]
    meta = pq.read_metadata(path)
    for key, value in (meta.metadata or {}).items():
        out.append(key.decode("latin-1") + value.decode("latin-1"))
        with contextlib.suppress(Exception):  # not base64: already added as is
            out.append(base64.b64decode(value).decode("latin-1"))
    for rg in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            stats = meta.row_group(rg).column(c).statistics
            if stats is not None and stats.has_min_max:
                out.append(f"{stats.min!r} {stats.max!r}")
    names = pq.read_schema(path).names
    table = pq.read_table(path, read_dictionary=names)
    for column in table.columns:
        for chunk in column.chunks:
            if pa.types.is_dictionary(chunk.type):
                out.append(repr(chunk.dictionary.to_pylist()))
                chunk = chunk.dictionary_decode()
            out.append(repr(chunk.to_pylist()))
    return out


def _leaks(path: Path, values) -> list[str]:
    texts = _parquet_texts(path) if path.suffix == ".parquet" else [path.read_bytes().decode("utf-8", "replace")]
    return [v for v in values if any(v in t for t in texts)]


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_quarantine_mode_accepted_rows_hold_nothing_of_rejected_rows(tmp_path, fmt):
    out = _run(tmp_path, fmt)
    accepted = pd.read_parquet(out / "accepted.parquet")
    quarantine = pd.read_parquet(out / "quarantine.parquet")
    reasons = dict(zip(quarantine[ROW], quarantine[REASONS], strict=True))
    assert reasons == {
        1: "pii:secret",
        2: "pii:credit_card",
        3: "pii:email",
        4: "pii:iban;pii:phone",
        5: "pii:ip",
        6: "pii:email",
        7: "pii:credit_card",
        8: "environment_not_allowed;pii:email",
        9: "surface_not_allowed",
    }
    assert len(accepted) == N - 9
    assert _leaks(out / "accepted.parquet", PLANTED + ALSO_REJECTED) == []
    for name in ("evidence.parquet", "report.html", "result.json"):
        assert _leaks(out / name, PLANTED) == [], name
    # the quarantine keeps the rejected rows as they came: that is its purpose
    assert _leaks(out / "quarantine.parquet", (SECRET, AUTHOR_EMAIL, STAGING_NOTE)) == [
        SECRET,
        AUTHOR_EMAIL,
        STAGING_NOTE,
    ]


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_redact_mode_leaves_no_raw_pii_in_any_file(tmp_path, fmt):
    out = _run(tmp_path, fmt, pii_action="redact")
    accepted = pd.read_parquet(out / "accepted.parquet").set_index(ROW)
    quarantine = pd.read_parquet(out / "quarantine.parquet").set_index(ROW)
    assert sorted(quarantine.index) == [8, 9]  # only provenance rules reject now
    assert accepted.loc[1, "text"] == "my key is [REDACTED:secret]"
    assert accepted.loc[6, "author_id"] == "[REDACTED:email]"
    assert accepted.loc[7, "notes"] == "paid with [REDACTED:credit_card]"
    assert quarantine.loc[8, "notes"] == "staging tester [REDACTED:email]"
    for name in ("accepted.parquet", "quarantine.parquet", "evidence.parquet", "report.html", "result.json"):
        assert _leaks(out / name, PLANTED) == [], name
    assert _leaks(out / "accepted.parquet", ALSO_REJECTED) == []


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_accepted_rows_keep_the_inputs_dtypes(tmp_path, fmt):
    from airflow_evalguard.io import TableInput

    out = _run(tmp_path, fmt, pii_action="redact")
    expected = TableInput("candidates", str(tmp_path / f"candidates.{fmt}")).read(categorical_strings=False)
    for name in ("accepted", "quarantine"):
        written = pd.read_parquet(out / f"{name}.parquet")
        assert written[ROW].dtype == "int64"
        for col in expected.columns:
            assert written[col].dtype == expected[col].dtype, (name, col, written[col].dtype, expected[col].dtype)
        schema = pq.read_schema(out / f"{name}.parquet")
        assert not any(pa.types.is_dictionary(f.type) for f in schema), schema
    if fmt == "parquet":  # the physical schema too: same parquet types, column by column
        given = pq.read_schema(tmp_path / "candidates.parquet")
        written = pq.read_schema(out / "accepted.parquet")
        for field in given:
            assert (
                written.field(field.name).type in (field.type, pa.large_string())
                if pa.types.is_string(field.type)
                else written.field(field.name).type == field.type
            )


def test_categorical_columns_of_a_dataframe_keep_only_their_own_categories(tmp_path):
    """A DataFrame (or a parquet file written from one) with categoricals: each output's
    dictionary holds the values of its own rows, never the input's whole category list."""
    from airflow_evalguard.publish.artifacts import publish_result
    from airflow_evalguard.run import run_check
    from airflow_evalguard.store.layout import RunLayout
    from airflow_evalguard.store.local import LocalStore

    frame = _frame()
    for col in ("text", "author_id", "notes", "surface", "environment"):
        frame[col] = frame[col].astype("category")
    for action in ("quarantine", "redact"):
        result = run_check(
            "feedback_provenance",
            {"candidates": frame},
            {
                "allowed_surfaces": ["chat_widget"],
                "max_rejected_share": 0.5,
                "max_author_share": 1,
                "pii_action": action,
            },
        )
        accepted = result.tables["accepted"]
        for col in ("text", "author_id", "notes", "surface", "environment"):
            assert isinstance(accepted[col].dtype, pd.CategoricalDtype), col
            assert set(accepted[col].cat.categories) == set(accepted[col].dropna()), col
        out = tmp_path / action
        publish_result(LocalStore(str(out)), RunLayout(""), result)
        assert _leaks(out / "accepted.parquet", PLANTED + ALSO_REJECTED) == []
        for name in ("evidence.parquet", "report.html", "result.json"):
            assert _leaks(out / name, PLANTED) == [], (action, name)
        if action == "redact":
            assert _leaks(out / "quarantine.parquet", PLANTED) == []
    # a parquet file written from those categoricals holds dictionary columns: read as such
    path = tmp_path / "categorical.parquet"
    frame.to_parquet(path, index=False)
    assert pa.types.is_dictionary(pq.read_schema(path).field("text").type)
    for action in ("quarantine", "redact"):
        out = tmp_path / f"file-{action}"
        assert main(
            [
                "run",
                "feedback_provenance",
                "--input",
                f"candidates={path}",
                "--out",
                str(out),
                "--param",
                "max_rejected_share=0.5",
                "--param",
                "max_author_share=1",
                "--param",
                'allowed_surfaces=["chat_widget"]',
                "--param",
                f"pii_action={action}",
            ]
        ) in (0, 1)
        accepted = pd.read_parquet(out / "accepted.parquet")
        meta = json.loads(pq.read_metadata(out / "accepted.parquet").metadata[b"pandas"])
        categories = {c["name"]: c["metadata"]["num_categories"] for c in meta["columns"] if c["metadata"]}
        assert categories["text"] == accepted["text"].nunique() < len(frame)  # its own values' count
        assert _leaks(out / "accepted.parquet", PLANTED + ALSO_REJECTED) == []


def test_scan_columns_narrows_the_scan_to_the_text_and_the_columns_named(tmp_path):
    from airflow_evalguard.run import run_check

    params = {"allowed_surfaces": ["chat_widget"], "max_rejected_share": 0.5, "max_author_share": 1}
    narrowed = run_check("feedback_provenance", {"candidates": _frame()}, {**params, "scan_columns": ["notes"]})
    quarantined = set(narrowed.tables["quarantine"][ROW])
    assert 7 in quarantined and 6 not in quarantined  # notes scanned, author_id not; text always
    assert {1, 2, 3, 4, 5} <= quarantined
    # whatever is scanned for the rules, evidence never shows raw PII
    assert AUTHOR_EMAIL not in narrowed.to_json()
    from airflow_evalguard.exceptions import EvalGuardInputError

    with pytest.raises(EvalGuardInputError, match="scan_columns"):
        run_check("feedback_provenance", {"candidates": _frame()}, {**params, "scan_columns": ["no_such"]})


def test_undecodable_text_bytes_are_redacted_too(tmp_path):
    """A text cell that is not UTF-8 keeps its raw bytes in the quarantine; with redact, the PII
    in those bytes is replaced and the other bytes stay as they were."""
    from airflow_evalguard.run import run_check

    frame = _frame()
    frame["text"] = frame["text"].astype(object)
    frame.loc[10, "text"] = b"caf\xe9 " + EMAIL.encode()
    result = run_check(
        "feedback_provenance",
        {"candidates": frame},
        {"allowed_surfaces": ["chat_widget"], "max_rejected_share": 0.5, "max_author_share": 1, "pii_action": "redact"},
    )
    q = result.tables["quarantine"].set_index(ROW)
    assert q.loc[10, REASONS] == "text_not_utf8"
    assert q.loc[10, "evalguard_text_bytes"] == b"caf\xe9 [REDACTED:email]"
    assert EMAIL not in q.loc[10, "text"]
    assert "evalguard_text_bytes" not in result.tables["accepted"].columns


def test_binary_text_column_stays_binary(tmp_path):
    frame = _frame()
    frame["text"] = [t.encode() for t in frame["text"]]
    path = tmp_path / "candidates.parquet"
    frame.to_parquet(path, index=False)
    out = tmp_path / "out"
    assert main(
        [
            "run",
            "feedback_provenance",
            "--input",
            f"candidates={path}",
            "--out",
            str(out),
            "--param",
            "max_rejected_share=0.5",
            "--param",
            "max_author_share=1",
            "--param",
            "pii_action=redact",
        ]
    ) in (0, 1)
    assert pq.read_schema(out / "accepted.parquet").field("text").type == pa.binary()
    accepted = pd.read_parquet(out / "accepted.parquet").set_index(ROW)
    assert accepted.loc[1, "text"] == b"my key is [REDACTED:secret]"
    assert _leaks(out / "accepted.parquet", PLANTED) == []


def test_nested_and_numeric_cells_are_scanned_and_never_written_raw(tmp_path):
    """JSON lines carry objects and lists: PII inside them counts, and with redact each string in
    them is redacted in place. A cell that cannot be redacted in place (a number; PII spanning
    two values of a list) sends its row to the quarantine, with that cell emptied."""
    frame = _frame()
    frame["meta"] = [{"k": f"v{i % 3}", "tags": ["a", "b"]} for i in range(N)]
    frame.at[11, "meta"] = {"contact": EMAIL, "tags": ["a", "b"]}
    frame.at[12, "meta"] = {"k": "v", "tags": ["password", ":Tr0ub4dor3xQ"]}  # one secret over two values
    frame["ref"] = pd.Series(["x"] * N, dtype=object)
    frame.at[13, "ref"] = 4111111111111111  # a card number stored as a number
    path = tmp_path / "candidates.jsonl"
    frame.to_json(path, orient="records", lines=True)
    out = {}
    for action in ("quarantine", "redact"):
        out[action] = tmp_path / action
        assert main(
            [
                "run",
                "feedback_provenance",
                "--input",
                f"candidates={path}",
                "--out",
                str(out[action]),
                "--param",
                "max_rejected_share=0.5",
                "--param",
                "max_author_share=1",
                "--param",
                f"pii_action={action}",
            ]
        ) in (0, 1)
    q = pd.read_parquet(out["quarantine"] / "quarantine.parquet").set_index(ROW)
    assert {11, 12, 13} <= set(q.index)
    accepted = pd.read_parquet(out["redact"] / "accepted.parquet").set_index(ROW)
    quarantine = pd.read_parquet(out["redact"] / "quarantine.parquet").set_index(ROW)
    assert accepted.loc[11, "meta"]["contact"] == "[REDACTED:email]"
    assert quarantine.loc[12, REASONS] == "pii_not_redactable" and quarantine.loc[12, "meta"] is None
    assert quarantine.loc[13, REASONS] == "pii_not_redactable"
    for name in ("accepted.parquet", "quarantine.parquet", "evidence.parquet", "report.html", "result.json"):
        assert _leaks(out["redact"] / name, PLANTED + ("Tr0ub4dor3xQ", "4111111111111111")) == [], name
    for name in ("evidence.parquet", "report.html", "result.json"):
        assert _leaks(out["quarantine"] / name, PLANTED + ("Tr0ub4dor3xQ", "4111111111111111")) == [], name
