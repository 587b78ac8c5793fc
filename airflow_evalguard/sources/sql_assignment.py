"""assignment_integrity's pre-aggregated inputs computed in the database: arm counts, field counts
(numeric assembler inputs binned by quartile with edges computed in SQL), and moments.

Quartile edges are exact in every dialect (linear interpolation, as numpy's default): an engine's
own exact percentile where it has one, else the values at the two ranks around each quartile
(ROW_NUMBER) interpolated here (sources.sql_engine). The method is recorded on field_counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlglot import exp

from airflow_evalguard.checks.assignment_integrity.tables import NUMERIC_BINS, binned_by_quartile, quartile_labels
from airflow_evalguard.sources.sql_engine import (
    QUANTILE_METHODS,
    as_double,
    interpolated,
    native_quantiles,
    ranked_positions,
    ranked_values_query,
)
from airflow_evalguard.sources.sql_tree import alias, column, value


def _grouped(source: Any, table: Any, selected: list, groups: int, method: dict | None = None) -> pd.DataFrame:
    query = exp.select(*selected).from_(source.table(table))
    return source.fetch(query.group_by(*(exp.Literal.number(i + 1) for i in range(groups))), method).frame


def assignment_tables(
    source: Any,
    table: Any,
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
    count = alias(exp.Count(this=exp.Star()), "count")
    out = {"arm_counts": _grouped(source, table, [alias(column(arm), "arm"), count.copy()], 1)}
    fields = []
    method: dict = {}
    for name in dict.fromkeys([*categorical, *binned]):
        field: exp.Expression = column(name)
        if name in binned:
            field, method = _quartile_bins(source, table, name)
        selected = [alias(field, "value"), alias(column(arm), "arm"), count.copy()]
        frame = _grouped(source, table, selected, 2, method)
        fields.append(frame.assign(field=name)[["field", "value", "arm", "count"]])
    if fields:
        out["field_counts"] = pd.concat(fields, ignore_index=True)
        out["field_counts"].attrs = fields[-1].attrs
    moments = []
    for name in dict.fromkeys(numeric):
        x = as_double(column(name))
        selected = [
            alias(column(arm), "arm"),
            alias(exp.Count(this=x.copy()), "count"),
            alias(exp.Sum(this=x.copy()), "sum"),
            alias(exp.Sum(this=exp.Mul(this=x.copy(), expression=x.copy())), "sum_sq"),
        ]
        frame = _grouped(source, table, selected, 1)
        moments.append(frame.assign(column=name)[["column", "arm", "count", "sum", "sum_sq"]])
    if moments:
        out["moments"] = pd.concat(moments, ignore_index=True)
    return out


def quartile_edges(source: Any, table: Any, name: str) -> tuple[int, np.ndarray]:
    """The column's number of distinct values and its exact quartile edges (min, q1, q2, q3, max)."""
    x = as_double(column(name))
    probabilities = [i / NUMERIC_BINS for i in range(NUMERIC_BINS + 1)]
    distinct = alias(exp.Count(this=exp.Distinct(expressions=[column(name)])), "distinct")
    native = native_quantiles(x, probabilities, source.dialect)
    if native is not None:
        selected = [distinct, *(alias(q, f"q{i}") for i, q in enumerate(native))]
        row = source.fetch(exp.select(*selected).from_(source.table(table))).frame.iloc[0]
        return int(row.iloc[0]), np.asarray(row.iloc[1:].to_numpy(), float)
    counted = [distinct, alias(exp.Count(this=x.copy()), "n")]
    row = source.fetch(exp.select(*counted).from_(source.table(table))).frame.iloc[0]
    n_values = int(row.iloc[1])
    if n_values == 0:
        return int(row.iloc[0]), np.full(len(probabilities), np.nan)
    ranks = ranked_positions(n_values, probabilities)
    wanted = [rank for lo, hi, _ in ranks for rank in (lo, hi)]
    at = source.fetch(ranked_values_query(source.table(table), x, wanted)).frame
    at_rank = {int(r): float(v) for r, v in zip(at.iloc[:, 0], at.iloc[:, 1], strict=True)}
    return int(row.iloc[0]), np.asarray(interpolated(ranks, at_rank), float)


def _quartile_bins(source: Any, table: Any, name: str) -> tuple[exp.Expression, dict]:
    """A CASE expression naming each row's quartile bin (labels as the check names them), or the
    column itself when it has too few distinct values to bin; and the quantile method used."""
    distinct, edges = quartile_edges(source, table, name)
    method = {"quantile_method": QUANTILE_METHODS[source.dialect], "quantile_exact": True}
    if not binned_by_quartile(distinct):
        return column(name), {}
    edges = np.unique(np.asarray(edges, float))
    labels = quartile_labels(edges)
    x = as_double(column(name))
    # bin i holds edges[i] <= x < edges[i+1]; the last bin also holds the maximum (numpy's searchsorted)
    ifs = [exp.If(this=exp.Is(this=x.copy(), expression=exp.Null()), true=value("missing"))]
    ifs += [
        exp.If(this=exp.LT(this=x.copy(), expression=value(float(edge))), true=value(label))
        for edge, label in zip(edges[1:-1], labels[:-1], strict=False)
    ]
    return exp.Case(ifs=ifs, default=value(labels[-1])), method
