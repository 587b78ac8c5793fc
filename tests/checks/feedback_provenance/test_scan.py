"""feedback_provenance.scan: cells read as text, hits per row, redactions in the cell's own type."""

import numpy as np
import pandas as pd

from airflow_evalguard.checks.feedback_provenance import scan
from airflow_evalguard.pii.scanner import PiiScanner

EMAIL = "ann.lee@example.org"


def test_cell_text():
    assert scan.cell_text(None) is None and scan.cell_text(float("nan")) is None and scan.cell_text(pd.NA) is None
    assert scan.cell_text(b"caf\xe9") == "caf\udce9"  # surrogate escape: encodes back to the same bytes
    assert scan.cell_text({"k": ["a", 1]}) == "k\na\n1"
    assert scan.cell_text(4111) == "4111"


def test_scan_column_finds_and_redacts_in_each_cells_type():
    scanner = PiiScanner()
    series = pd.Series([f"mail {EMAIL}", EMAIL.encode(), {"to": EMAIL}, 4111111111111111, "clean", None], dtype=object)
    found = scan.scan_column(scanner, series)
    email = scanner.kinds.index("email")
    assert found.hits[:, email].tolist() == [True, True, True, False, False, False]
    assert found.hits.any(axis=1).tolist() == [True, True, True, True, False, False]
    assert found.redacted[0] == "mail [REDACTED:email]"
    assert found.redacted[1] == b"[REDACTED:email]"
    assert found.redacted[2] == {"to": "[REDACTED:email]"}
    assert found.redacted[3] is None  # a number cannot be redacted in place
    assert found.unredactable.tolist() == [False, False, False, True, False, False]


def test_free_text_read_row_by_row_gives_the_same_hits_as_by_distinct_value():
    scanner = PiiScanner(["email"])
    series = pd.Series([EMAIL, "x", EMAIL, None] * 3, dtype=object)
    by_row = scan.scan_column(scanner, series, dedupe=False)
    by_value = scan.scan_column(scanner, series, dedupe=True)
    np.testing.assert_array_equal(by_row.hits, by_value.hits)
    categorical = scan.scan_column(scanner, series.astype("category"))
    np.testing.assert_array_equal(categorical.hits, by_row.hits)


def test_pii_spanning_two_leaves_is_unredactable():
    scanner = PiiScanner()
    series = pd.Series([{"tags": ["password", ":Tr0ub4dor3xQ"]}], dtype=object)
    found = scan.scan_column(scanner, series)
    assert found.hits.any() and found.unredactable.tolist() == [True] and found.redacted == {0: None}
