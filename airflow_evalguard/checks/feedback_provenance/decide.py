"""feedback_provenance: read the candidates, scan them for PII, apply every rule, write the two
outputs, and decide from the rejected share and the accepted set's concentration (core.compose)."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.feedback_provenance import concentration, outputs, read, rejection, rules, scan, words
from airflow_evalguard.checks.feedback_provenance.evidence import evidence
from airflow_evalguard.columns.text import decode_text
from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.io import TableInput
from airflow_evalguard.pii.scanner import PiiScanner

METHOD = {
    "concentration_on": "accepted rows",
    "consent_values_accepted": sorted(rules.CONSENT_YES) + ["True", "1"],
    "pii_method": "RE2 prefilter (pyarrow) + linear-time RE2 patterns per candidate cell; "
    "Luhn, IBAN mod-97, octet and layout validation",
}


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    read.check_name_lists(params)
    scanner = PiiScanner(params["pii"])
    frame = read.candidates(tables["candidates"], params)
    text_column = params["text_column"]
    scanned = read.scan_columns(frame, params)
    text, not_utf8 = decode_text(frame[text_column])
    scans = scan.scan_all(scanner, frame, scanned, text_column)
    screened = rules.screen(frame, text, not_utf8, scans, scanner.kinds, params)
    accepted, quarantine = outputs.split(frame, text, not_utf8, scans, screened.rules, params)
    composed = compose(
        [rejection.part(frame, screened, params), concentration.part(frame, screened.rejected, params)],
        alpha=0.05,  # no tested effects: every verdict is a limit on an observed share
    )
    rows, accepted_rows = screened.rows, int((~screened.rejected).sum())
    rejected_share = float(screened.rejected.mean())
    return Decision.from_composed(
        composed,
        words.summary(rows, accepted_rows, rejected_share, composed.findings),
        method={
            "pii_detectors": list(scanner.kinds),
            "pii_scanned_columns": [str(column) for column in scanned],
            **METHOD,
        },
        evidence=evidence(quarantine),
        tables={"accepted": accepted, "quarantine": quarantine},
    )
