"""The evidence table: quarantined rows for people to read, with no PII in them.

PII is redacted in every column by every detector (whatever `pii` and `scan_columns` chose for
the rules), long text cut, the raw bytes column left out.
"""

from __future__ import annotations

import pandas as pd

from airflow_evalguard.checks.feedback_provenance.read import RAW_BYTES, REASONS, ROW
from airflow_evalguard.checks.feedback_provenance.scan import cell_text
from airflow_evalguard.columns.text import printable
from airflow_evalguard.pii.scanner import PiiScanner

EVIDENCE_ROWS = 1000


def evidence(quarantine: pd.DataFrame) -> pd.DataFrame | None:
    """The first quarantined rows, redacted and printable; None when nothing was quarantined."""
    if quarantine.empty:
        return None
    head = quarantine.head(EVIDENCE_ROWS).drop(columns=[RAW_BYTES], errors="ignore").reset_index(drop=True)
    scanner = PiiScanner()
    for column in head.columns:
        series = head[column]
        if column in (ROW, REASONS) or not _may_hold_pii(series):
            continue
        texts = [cell_text(value) for value in series.tolist()]
        result = scanner.scan(texts)
        if result.redacted or isinstance(series.dtype, pd.CategoricalDtype):
            head[column] = pd.Series([result.redacted.get(row, text) for row, text in enumerate(texts)], dtype=object)
    shown: pd.DataFrame = printable(head)
    return shown


def _may_hold_pii(series: pd.Series) -> bool:
    """Everything but booleans, floats and times. Integers too: a card or phone number stored as
    a number is still one."""
    return not (
        pd.api.types.is_bool_dtype(series)
        or pd.api.types.is_float_dtype(series)
        or pd.api.types.is_datetime64_any_dtype(series)
        or pd.api.types.is_timedelta64_dtype(series)
    )
