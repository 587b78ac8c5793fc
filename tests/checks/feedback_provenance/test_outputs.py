"""feedback_provenance.outputs: the two tables partition the rows, reasons listed, categories own."""

import numpy as np
import pandas as pd

from airflow_evalguard.checks.feedback_provenance import outputs
from airflow_evalguard.checks.feedback_provenance.read import RAW_BYTES, REASONS, ROW
from airflow_evalguard.checks.feedback_provenance.scan import ColumnScan
from airflow_evalguard.columns.text import decode_text

PARAMS = {"text_column": "text", "pii_action": "quarantine"}


def test_reasons_join_every_broken_rule_in_rule_order():
    masks = {"empty_text": np.array([True, False, True]), "no_consent": np.array([False, False, True])}
    assert outputs.reasons(masks, 3).tolist() == ["empty_text", "", "empty_text;no_consent"]


def _split(frame, masks, params=PARAMS, scans=None):
    text, not_utf8 = decode_text(frame["text"])
    return outputs.split(frame, text, not_utf8, scans or {}, masks, params)


def test_every_row_lands_in_exactly_one_table_and_undecodable_bytes_are_kept():
    frame = pd.DataFrame({"text": pd.Series(["a", b"caf\xe9", "c"], dtype=object), "n": [1, 2, 3]})
    masks = {"text_not_utf8": np.array([False, True, False])}
    accepted, quarantine = _split(frame, masks)
    assert accepted[ROW].tolist() == [0, 2] and quarantine[ROW].tolist() == [1]
    assert quarantine[REASONS].tolist() == ["text_not_utf8"]
    assert quarantine[RAW_BYTES].tolist() == [b"caf\xe9"] and RAW_BYTES not in accepted
    assert quarantine["text"].tolist() == ["caf\ufffd"]
    assert accepted["n"].dtype == frame["n"].dtype


def test_redact_replaces_the_hit_cells_in_both_tables():
    frame = pd.DataFrame({"text": ["mail x", "fine", "mail y"], "env": ["p", "p", "s"]})
    scans = {
        "text": ColumnScan(np.array([[True], [False], [True]]), {0: "mail [R]", 2: "mail [R]"}, np.zeros(3, dtype=bool))
    }
    masks = {"environment_not_allowed": np.array([False, False, True])}
    accepted, quarantine = _split(frame, masks, {**PARAMS, "pii_action": "redact"}, scans)
    assert accepted["text"].tolist() == ["mail [R]", "fine"] and quarantine["text"].tolist() == ["mail [R]"]


def test_categoricals_keep_only_their_own_values():
    frame = pd.DataFrame({"text": ["a", "b", "c"], "surface": pd.Categorical(["web", "web", "secret-surface"])})
    accepted, quarantine = _split(frame, {"surface_not_allowed": np.array([False, False, True])})
    assert list(accepted["surface"].cat.categories) == ["web"]
    assert list(quarantine["surface"].cat.categories) == ["secret-surface"]
