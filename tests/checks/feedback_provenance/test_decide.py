"""feedback_provenance: every row in exactly one output, reasons kept, PII never shown."""

import json

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.feedback_provenance.read import REASONS, ROW
from airflow_evalguard.demo.data_contracts import feedback_candidates
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.schema import assert_valid_result

SECRET = "sk-proj-abcdefghijklmnopqrstuvwxyz123456"
CARD = "4111 1111 1111 1111"
EMAIL = "jane.roe@example.org"


def _run(frame, **params):
    return run_check("feedback_provenance", {"candidates": frame}, params)


def _codes(result):
    return {f.code for f in result.findings}


def _mixed(n=400, seed=0) -> pd.DataFrame:
    """Many customers, and one row of every kind of problem."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "text": [f"answer {i} was {'good' if i % 2 else 'bad'}" for i in range(n)],
            "environment": "production",
            "surface": "chat_widget",
            "author_id": [f"c{i}" for i in range(n)],
            "author_type": "customer",
            "consent": True,
            "created_at": pd.Timestamp("2026-11-01", tz="UTC"),
            "extra_column": rng.integers(0, 9, n),
        }
    )
    frame["text"] = frame["text"].astype(object)
    frame.loc[1, "text"] = f"my key is {SECRET}"
    frame.loc[2, "text"] = f"card {CARD} charged twice"
    frame.loc[3, "text"] = f"mail {EMAIL}"
    frame.loc[4, "environment"] = "staging"
    frame.loc[5, "surface"] = "internal_dogfood"
    frame.loc[6, "consent"] = False
    frame.loc[7, "text"] = "   "
    frame.loc[8, "text"] = b"caf\xe9 au lait"
    return frame


def test_every_row_lands_in_exactly_one_output_with_its_reasons():
    frame = _mixed()
    result = _run(frame, allowed_surfaces=["chat_widget"], max_rejected_share=0.5)
    accepted, quarantine = result.tables["accepted"], result.tables["quarantine"]
    assert sorted(accepted[ROW].tolist() + quarantine[ROW].tolist()) == list(range(len(frame)))
    reasons = dict(zip(quarantine[ROW], quarantine[REASONS], strict=True))
    assert reasons == {
        1: "pii:secret",
        2: "pii:credit_card",
        3: "pii:email",
        4: "environment_not_allowed",
        5: "surface_not_allowed",
        6: "no_consent",
        7: "empty_text",
        8: "text_not_utf8",
    }
    # quarantined rows keep their original content, every column, and the undecodable bytes
    q = quarantine.set_index(ROW)
    assert SECRET in q.loc[1, "text"] and q.loc[4, "extra_column"] == frame.loc[4, "extra_column"]
    assert q.loc[8, "evalguard_text_bytes"] == b"caf\xe9 au lait"
    assert set(frame.columns) <= set(accepted.columns)
    assert result.metrics["rejected"].value == 8 and result.metrics["pii_rows[email]"].value == 1
    assert result.verdict.value == "WARN" and "ROWS_QUARANTINED" in _codes(result)
    assert_valid_result(result)


def test_pii_never_reaches_result_evidence_or_findings():
    result = _run(_mixed(), allowed_surfaces=["chat_widget"])
    shown = result.to_json() + result.evidence.to_json() + json.dumps(result.xcom_summary())
    for secret in (SECRET, CARD, EMAIL):
        assert secret not in shown
    ev = result.evidence.set_index(ROW)
    assert ev.loc[1, "text"] == "my key is [REDACTED:secret]"


def test_pii_in_author_ids_is_redacted_in_messages_and_evidence():
    frame = _mixed()
    frame["author_id"] = EMAIL  # one author, an e-mail address as id, supplies everything
    # scanned (every text column is, by default): every row holds an e-mail, every row is quarantined
    result = _run(frame, allowed_surfaces=["chat_widget"], max_rejected_share=0.5)
    assert result.metrics["rule_failures[pii:email]"].value == len(frame)
    assert result.metrics["pii_rows_in_column[author_id]"].value == len(frame)
    assert EMAIL not in result.to_json() and EMAIL not in result.evidence.to_json()
    # not scanned (scan_columns narrows the scan to the text): the id still reaches messages only redacted
    result = _run(frame, allowed_surfaces=["chat_widget"], max_rejected_share=0.5, scan_columns=[])
    assert "AUTHOR_CONCENTRATION" in _codes(result)
    assert EMAIL not in result.to_json() and EMAIL not in result.evidence.to_json()


def test_redact_mode_accepts_rows_with_the_matches_replaced():
    result = _run(_mixed(), allowed_surfaces=["chat_widget"], pii_action="redact")
    accepted = result.tables["accepted"].set_index(ROW)
    assert accepted.loc[1, "text"] == "my key is [REDACTED:secret]"
    assert accepted.loc[2, "text"] == "card [REDACTED:credit_card] charged twice"
    assert result.metrics["rejected"].value == 5  # only provenance rules reject now
    assert "pii:email" not in " ".join(result.tables["quarantine"][REASONS])


def test_staging_feedback_fails_and_names_the_environment():
    result = _run(
        feedback_candidates("staging_feedback_in_training", seed=2), allowed_surfaces=["chat_widget", "mobile_app"]
    )
    assert result.verdict.value == "FAIL"
    assert {"REJECTED_SHARE", "NON_PRODUCTION_FEEDBACK"} <= _codes(result)
    assert "staging" in next(f.message for f in result.findings if f.code == "NON_PRODUCTION_FEEDBACK")


def test_healthy_feedback_is_accepted_with_a_few_rows_quarantined():
    result = _run(feedback_candidates(None, seed=2), allowed_surfaces=["chat_widget", "mobile_app"])
    assert result.verdict.value == "WARN", result.summary
    assert result.metrics["rejected_share"].value < 0.05


@pytest.mark.parametrize("author_rows,verdict", [(1, "PASS"), (30, "FAIL")])
def test_author_concentration(author_rows, verdict):
    frame = _mixed().iloc[9:].reset_index(drop=True)  # clean rows only
    frame.loc[: author_rows - 1, "author_id"] = "heavy"
    result = _run(frame)
    assert result.verdict.value == verdict
    top = result.metrics["top_author_share"].value
    assert top == pytest.approx(max(author_rows, 1) / len(frame))
    shares = frame["author_id"].value_counts(normalize=True)
    assert result.metrics["author_hhi"].value == pytest.approx(float((shares**2).sum()))


def test_employee_share_is_bounded():
    frame = _mixed().iloc[9:].reset_index(drop=True)
    frame.loc[:59, "author_type"] = "employee"
    result = _run(frame)
    assert result.metrics["employee_share"].value == pytest.approx(60 / len(frame))
    assert result.verdict.value == "FAIL" and "EMPLOYEE_FEEDBACK" in _codes(result)
    assert _run(frame, max_employee_share=0.2).verdict.value == "PASS"


def test_hostile_and_huge_text_is_handled():
    frame = _mixed().iloc[9:].reset_index(drop=True)
    frame.loc[0, "text"] = "<script>alert(1)</script>"
    frame.loc[1, "text"] = "x" * 1_000_000 + f" {EMAIL}"
    result = _run(frame)
    assert result.tables["quarantine"][REASONS].tolist() == ["pii:email"]
    assert len(result.evidence.loc[0, "text"]) < 1000
    assert result.tables["accepted"].set_index(ROW).loc[0, "text"] == "<script>alert(1)</script>"


def test_output_parquet_files_are_written_by_the_cli(tmp_path):
    from airflow_evalguard.cli import main

    path = tmp_path / "fb.parquet"
    frame = _mixed()
    frame["text"] = frame["text"].map(lambda v: v.decode("utf-8", "replace") if isinstance(v, bytes) else v)
    frame.to_parquet(path)
    out = tmp_path / "out"
    rc = main(
        [
            "run",
            "feedback_provenance",
            "--input",
            f"candidates={path}",
            "--out",
            str(out),
            "--param",
            "max_rejected_share=0.5",
        ]
    )
    assert rc == 0
    accepted, quarantine = pd.read_parquet(out / "accepted.parquet"), pd.read_parquet(out / "quarantine.parquet")
    assert len(accepted) + len(quarantine) == len(frame)
    stored = json.loads((out / "result.json").read_text())
    assert stored["artifacts"]["accepted"].endswith("accepted.parquet")


@pytest.mark.parametrize(
    "frame,params,message",
    [
        (
            pd.DataFrame({"text": ["a"], "author_id": ["x"], "consent": [True]}),
            {},
            r"missing column\(s\) \['environment', 'author_type'\]",
        ),
        (
            pd.DataFrame({"text": [], "author_id": [], "environment": [], "consent": [], "author_type": []}),
            {},
            "no rows",
        ),
        (
            pd.DataFrame(
                {
                    "text": ["a"],
                    "author_id": ["x"],
                    "environment": ["production"],
                    "consent": [True],
                    "author_type": ["customer"],
                    "evalguard_reasons": ["x"],
                }
            ),
            {},
            "reserved",
        ),
        (pd.DataFrame({"text": ["a"]}), {"pii": ["passport"]}, "unknown PII detector"),
        (pd.DataFrame({"text": ["a"]}), {"pii_action": "delete"}, "must be one of"),
    ],
)
def test_bad_input(frame, params, message):
    with pytest.raises(EvalGuardInputError, match=message):
        _run(frame, **params)
