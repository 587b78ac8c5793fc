"""feedback_provenance.rules: consent and allow-lists cell by cell, PII rules per action."""

import numpy as np
import pandas as pd

from airflow_evalguard.checks.feedback_provenance import rules
from airflow_evalguard.checks.feedback_provenance.scan import ColumnScan
from airflow_evalguard.checks.feedback_provenance.spec import SPEC


def test_consent_cell_by_cell():
    values = pd.Series(
        [True, False, 1, 0, 2, "Yes", " granted ", "no", None, float("nan"), np.bool_(True)], dtype=object
    )
    assert rules.consented(values).tolist() == [True, False, True, False, False, True, True, False, False, False, True]


def test_allowed_compares_as_text_and_refuses_missing():
    values = pd.Series(["production", "staging", None, 1], dtype=object)
    assert rules.allowed(values, ["production", 1]).tolist() == [True, False, False, True]


def test_provenance_rules_in_reason_order():
    frame = pd.DataFrame(
        {
            "text": ["ok", " ", "ok"],
            "author_id": ["a", None, "c"],
            "environment": ["production", "production", "staging"],
            "consent": [True, True, "no"],
            "author_type": "customer",
        }
    )
    masks = rules.provenance(frame, frame["text"], np.array([False, False, True]), SPEC.resolve_params({}))
    assert list(masks) == ["empty_text", "text_not_utf8", "environment_not_allowed", "no_consent", "author_missing"]
    assert {name: mask.tolist() for name, mask in masks.items()} == {
        "empty_text": [False, True, False],
        "text_not_utf8": [False, False, True],
        "environment_not_allowed": [False, False, True],
        "no_consent": [False, False, True],
        "author_missing": [False, True, False],
    }


def _scans():
    hits = np.array([[True, False], [False, False], [False, True]])
    return {"text": ColumnScan(hits, {0: "x", 2: None}, np.array([False, False, True]))}


def test_pii_rules_per_kind_when_quarantined_and_only_unredactable_when_redacted():
    scans, kinds = _scans(), ("secret", "email")
    hits = rules.pii_hits(scans, kinds, 3)
    quarantined = rules.pii(scans, kinds, hits, "quarantine")
    assert {name: mask.tolist() for name, mask in quarantined.items()} == {
        "pii:secret": [True, False, False],
        "pii:email": [False, False, True],
    }
    assert {name: mask.tolist() for name, mask in rules.pii(scans, kinds, hits, "redact").items()} == {
        "pii_not_redactable": [False, False, True]
    }
    clean = {"text": ColumnScan(hits, {0: "x"}, np.zeros(3, dtype=bool))}
    assert rules.pii(clean, kinds, hits, "redact") == {}


def test_rejected_is_the_union_of_the_rules():
    masks = {"a": np.array([True, False, False]), "b": np.array([False, False, True])}
    assert rules.rejected(masks, 3).tolist() == [True, False, True]
    assert rules.rejected({}, 2).tolist() == [False, False]
