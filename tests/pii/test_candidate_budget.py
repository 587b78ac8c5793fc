"""A cell packed with near-misses is read up to its candidate budget; the rest is redacted."""

import sys
from pathlib import Path

import pytest

from airflow_evalguard.pii import scanner as scanner_module
from airflow_evalguard.pii.scanner import PiiScanner, candidate_budget, redaction

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_past_the_budget_the_rest_of_the_cell_counts_as_pii_and_is_redacted_whole():
    # Luhn near-misses every 20 bytes: each is a candidate that validation rejects.
    unit = "4111 1111 1111 1112 "
    text = unit * 10_000  # 200 KB, 10,000 candidates, budget 1,024 + 781
    scanner = PiiScanner()
    spans = scanner.find(text)
    assert len(spans) == 1
    start, end, kind = spans[0]
    assert kind == "credit_card" and end == len(text)
    assert start == len(unit) * candidate_budget(len(text) + 2)  # the first candidate not read
    redacted = scanner.redact(text, spans)
    assert redacted.endswith(redaction("credit_card")) and redacted.startswith(unit * 10)
    result = scanner.scan([text, "nothing to see"])
    assert result.any_hit().tolist() == [True, False]


def test_a_valid_card_after_the_budget_never_reaches_an_accepted_text():
    text = "4111 1111 1111 1112 " * 3_000 + "card 4111 1111 1111 1111 end"
    spans = PiiScanner().find(text)
    redacted = PiiScanner().redact(text, spans)
    assert "4111 1111 1111 1111 end" not in redacted


def test_ordinary_feedback_never_reaches_the_budget(monkeypatch):
    from feedback_provenance_scale import make_texts

    cell = " ".join(make_texts(4_000, seed=3))[: 1 << 20]
    scanner = PiiScanner()
    bounded = scanner.find(cell)
    monkeypatch.setattr(scanner_module, "CANDIDATE_ALLOWANCE", 10**9)
    assert scanner.find(cell) == bounded


@pytest.mark.parametrize("size", [0, 300, 1 << 20])
def test_the_budget_grows_with_the_cell(size):
    assert candidate_budget(size) == 1_024 + size // 256
