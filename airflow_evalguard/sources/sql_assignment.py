"""assignment_integrity's pre-aggregated inputs computed in the database: arm counts, field counts
(numeric assembler inputs binned by quartile with edges computed in SQL), and moments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.assignment_integrity.tables import NUMERIC_BINS, binned_by_quartile, quartile_labels
from airflow_evalguard.sources.sql_text import quote_identifier, quote_table


def assignment_tables(
    source: Any,
    table: str,
    *,
    arm: str = "arm",
    categorical: Sequence[str] = (),
    numeric: Sequence[str] = (),
    binned: Sequence[str] = (),
) -> dict:
    """assignment_integrity's pre-aggregated inputs: `arm_counts`; `field_counts` for the
    `categorical` columns and the `binned` ones (numeric assembler inputs: by quartile, edges
    computed in the database with linear interpolation, as numpy does; a column with at most
    8 distinct values is taken as levels, as the check does with rows); `moments` for `numeric`."""
    t, a = quote_table(table), quote_identifier(arm)
    out = {"arm_counts": source.fetch(f"SELECT {a} AS arm, COUNT(*) AS count FROM {t} GROUP BY 1", []).frame}
    fields = []
    for name in dict.fromkeys([*categorical, *binned]):
        c = quote_identifier(name)
        value = c
        params: list = []
        if name in binned:
            value, params = _quartile_bins(source, t, c)
        frame = source.fetch(
            f"SELECT {value} AS value, {a} AS arm, COUNT(*) AS count FROM {t} GROUP BY 1, 2", params
        ).frame
        fields.append(frame.assign(field=name)[["field", "value", "arm", "count"]])
    if fields:
        out["field_counts"] = pd.concat(fields, ignore_index=True)
    moments = []
    for name in dict.fromkeys(numeric):
        x = f"CAST({quote_identifier(name)} AS DOUBLE PRECISION)"
        frame = source.fetch(
            f"SELECT {a} AS arm, COUNT({x}) AS count, SUM({x}) AS sum, SUM({x} * {x}) AS sum_sq FROM {t} GROUP BY 1",
            [],
        ).frame
        moments.append(frame.assign(column=name)[["column", "arm", "count", "sum", "sum_sq"]])
    if moments:
        out["moments"] = pd.concat(moments, ignore_index=True)
    return out


def _quartile_bins(source: Any, table: str, column: str) -> tuple[str, list]:
    """A CASE expression naming each row's quartile bin (labels as the check names them), or the
    column itself when it has too few distinct values to bin."""
    x = f"CAST({column} AS DOUBLE PRECISION)"
    probs = [i / NUMERIC_BINS for i in range(NUMERIC_BINS + 1)]
    if source.dialect == "duckdb":
        quantiles = f"quantile_cont({x}, [{', '.join(['?'] * len(probs))}])"
    else:
        quantiles = (
            f"percentile_cont(ARRAY[{', '.join([source.placeholder] * len(probs))}]) WITHIN GROUP (ORDER BY {x})"
        )
    distinct, edges = source.fetch(f"SELECT COUNT(DISTINCT {column}), {quantiles} FROM {table}", probs).frame.iloc[0]
    if not binned_by_quartile(distinct):
        return column, []
    edges = np.unique(np.asarray(edges, float))
    labels = quartile_labels(edges)
    # bin i holds edges[i] <= x < edges[i+1]; the last bin also holds the maximum (numpy's searchsorted)
    whens = " ".join(f"WHEN {x} < {source.placeholder} THEN {source.placeholder}" for _ in labels[:-1])
    params = [v for edge, label in zip(edges[1:-1], labels[:-1], strict=False) for v in (float(edge), label)]
    return f"CASE WHEN {x} IS NULL THEN {source.placeholder} {whens} ELSE {source.placeholder} END", [
        "missing",
        *params,
        labels[-1],
    ]
