"""The rows behind the findings, for people to read: at most EVIDENCE_ROWS, long text cut."""

from __future__ import annotations

import pandas as pd

from airflow_evalguard.columns.text import printable

EVIDENCE_ROWS = 100


def evidence(records: pd.DataFrame, broken: dict[int, list[str]]) -> pd.DataFrame | None:
    if not broken:
        return None
    rows = sorted(broken)[:EVIDENCE_ROWS]
    out = printable(records.iloc[rows])
    out.insert(0, "broken_expectations", ["; ".join(dict.fromkeys(broken[row])) for row in rows])
    out.insert(0, "row", rows)
    return out.reset_index(drop=True)
