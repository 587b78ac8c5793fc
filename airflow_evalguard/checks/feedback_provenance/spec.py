"""feedback_provenance's inputs and parameters (light: no pandas, read when a DAG file is parsed)."""

from __future__ import annotations

from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec

# pii.detectors.KINDS, in its order (the scanner's precedence). Written out so this module stays
# light; tests/checks/feedback_provenance/test_spec.py holds the two lists equal.
PII_KINDS = ("secret", "email", "iban", "credit_card", "ip", "phone")

SPEC = CheckSpec(
    name="feedback_provenance",
    summary="Is feedback proposed as training data from production, consented, free of PII, and not dominated "
    "by one author or by employees?",
    inputs={
        "candidates": InputSpec(
            "feedback rows: text, environment, surface, author_id, author_type, consent, created_at, any more"
        )
    },
    params={
        "allowed_environments": ParamSpec(
            ["production"], list, "environments feedback may come from (null: any)", nullable=True
        ),
        "allowed_surfaces": ParamSpec(
            None, list, "curation surfaces feedback may come from (null: any)", nullable=True
        ),
        "require_consent": ParamSpec(True, bool, "reject rows without consent (true/yes/granted/1)"),
        "pii": ParamSpec(list(PII_KINDS), list, f"PII detectors to run, from {list(PII_KINDS)}"),
        "pii_action": ParamSpec(
            "quarantine",
            str,
            "quarantine rows with PII, or redact the matches and accept",
            choices=("quarantine", "redact"),
        ),
        # Shares of this very set, not estimates: plain limits, no alpha and no warn/fail bands.
        "max_rejected_share": ParamSpec(
            0.05, float, "FAIL when rules reject more than this share of rows", minimum=0, maximum=1
        ),
        "max_author_share": ParamSpec(
            0.05, float, "FAIL when one author supplies more of the accepted set", minimum=0, maximum=1
        ),
        "max_employee_share": ParamSpec(
            0.10,
            float,
            "FAIL when employees supply more of the accepted set (1 turns the rule off)",
            minimum=0,
            maximum=1,
        ),
        "employee_types": ParamSpec(["employee"], list, "author_type values that count as employees"),
        "text_column": ParamSpec("text", str, "column holding the feedback text", column=True),
        "scan_columns": ParamSpec(
            None,
            list,
            "columns scanned for PII besides the text column (null: every column that can hold text: strings, "
            "bytes, categoricals, JSON objects)",
            nullable=True,
        ),
    },
    decide="airflow_evalguard.checks.feedback_provenance.decide:decide",
    headline=("rejected_share", "top_author_share", "employee_share"),
    plots=None,
)
