"""feedback_provenance.evidence: every detector redacts every column shown, integers included."""

import pandas as pd

from airflow_evalguard.checks.feedback_provenance.evidence import evidence
from airflow_evalguard.checks.feedback_provenance.read import RAW_BYTES, REASONS, ROW


def test_evidence_is_redacted_and_leaves_raw_bytes_out():
    quarantine = pd.DataFrame(
        {
            ROW: [3],
            "text": ["mail ann.lee@example.org"],
            "card": [4111111111111111],
            "score": [0.5],
            "author": pd.Categorical(["bob"]),
            RAW_BYTES: [b"raw"],
            REASONS: ["pii:email"],
        }
    )
    shown = evidence(quarantine)
    assert shown["text"].tolist() == ["mail [REDACTED:email]"]
    assert shown["card"].tolist() == ["[REDACTED:credit_card]"]
    assert shown["score"].tolist() == [0.5] and shown["author"].tolist() == ["bob"]
    assert RAW_BYTES not in shown and shown[REASONS].tolist() == ["pii:email"]


def test_no_quarantine_no_evidence():
    assert evidence(pd.DataFrame({ROW: [], REASONS: []})) is None
