"""Data quoted in a message goes out redacted, by every detector."""

from airflow_evalguard.pii.detectors import KINDS
from airflow_evalguard.pii.messages import redacted
from airflow_evalguard.pii.scanner import redaction


def test_pii_in_a_message_is_redacted():
    text = "row 3: 'write to jane.doe@example.com or call +44 20 7946 0958'"
    out = redacted(text)
    assert "jane.doe@example.com" not in out and redaction("email") in out
    assert "7946" not in out and redaction("phone") in out
    assert out.startswith("row 3: 'write to ")


def test_text_without_pii_is_unchanged():
    assert redacted("column 'score' must be numeric; got 'n/a'") == "column 'score' must be numeric; got 'n/a'"
    assert redacted("") == ""


def test_every_detector_runs():
    samples = {"email": "a.b@example.org", "credit_card": "4111 1111 1111 1111", "ip": "10.20.30.40"}
    for kind, sample in samples.items():
        assert kind in KINDS
        assert redacted(f"value {sample} here") == f"value {redaction(kind)} here"
