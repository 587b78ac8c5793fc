"""The pieces of an aggregation that differ by engine: the hour of day in a time zone, exact
quantiles, and the latency grid's bin index; each says which method it is and that it is exact.

sqlglot translates most functions, but not always into an equivalent: it writes PERCENTILE_CONT
as APPROX_PERCENTILE on Trino and PERCENTILE_APPROX on Spark, and drops AT TIME ZONE on MySQL.
So these are chosen here per dialect, from each engine's documented exact function, or (where an
engine has none) from ROW_NUMBER, which any engine with window functions computes exactly.
"""

from __future__ import annotations

import math
from typing import Any

from sqlglot import exp

from airflow_evalguard.sources.sql_tree import alias, value
from airflow_evalguard.stats.log_bins import MIN_MS, RATIO

# How each engine is asked for local wall-clock time (time-zone database and DST are the engine's).
HOUR_METHODS = {
    "postgres": "EXTRACT(HOUR FROM ts AT TIME ZONE tz) on timestamptz",
    "duckdb": "EXTRACT(HOUR FROM ts AT TIME ZONE tz) on TIMESTAMPTZ",
    "redshift": "EXTRACT(HOUR FROM ts AT TIME ZONE tz) on TIMESTAMPTZ",
    "trino": "EXTRACT(HOUR FROM AT_TIMEZONE(ts, tz)) on timestamp with time zone",
    "snowflake": "DATE_PART(HOUR, CONVERT_TIMEZONE(tz, ts)) on TIMESTAMP_TZ/LTZ",
    "bigquery": "EXTRACT(HOUR FROM TIMESTAMP(DATETIME(ts, tz))) on TIMESTAMP",
    "spark": "EXTRACT(HOUR FROM FROM_UTC_TIMESTAMP(ts, tz)), ts read as UTC (session time zone UTC)",
    "mysql": "EXTRACT(HOUR FROM CONVERT_TZ(ts, '+00:00', tz)), ts stored as UTC; needs the time zone tables",
}
# Exact quantiles with linear interpolation (numpy's default, Hyndman & Fan type 7).
QUANTILE_METHODS = {
    "postgres": "percentile_cont WITHIN GROUP",
    "redshift": "percentile_cont WITHIN GROUP",
    "snowflake": "percentile_cont WITHIN GROUP",
    "duckdb": "quantile_cont",
    "spark": "percentile",  # exact; percentile_approx is not used
    "bigquery": "row_number interpolation",  # APPROX_QUANTILES is approximate
    "trino": "row_number interpolation",  # Trino has only approx_percentile
    "mysql": "row_number interpolation",  # MySQL has no percentile function
}


def as_double(expression: exp.Expression) -> exp.Expression:
    return exp.cast(expression, exp.DataType.build("double"))


def hour_of_day(timestamp: exp.Expression, timezone: Any, dialect: str) -> tuple[exp.Expression, dict]:
    """The local hour (0-23) of `timestamp` in `timezone`, computed by the engine."""
    zone = value(timezone)
    if dialect == "spark":
        local: exp.Expression = exp.Anonymous(this="FROM_UTC_TIMESTAMP", expressions=[timestamp, zone])
    elif dialect == "mysql":
        local = exp.ConvertTimezone(source_tz=exp.Literal.string("+00:00"), target_tz=zone, timestamp=timestamp)
    else:
        local = exp.AtTimeZone(this=timestamp, zone=zone)
    hour = exp.cast(exp.Extract(this=exp.var("HOUR"), expression=local), exp.DataType.build("int"))
    return hour, {"hour_method": HOUR_METHODS[dialect], "hour_exact": True}


def log_bin(latency: exp.Expression) -> exp.Expression:
    """stats.log_bins' grid index: 0 below MIN_MS, else floor(ln(x / MIN_MS) / ln(RATIO)) + 1."""
    minimum, ratio = exp.Literal.number(repr(MIN_MS)), exp.Literal.number(repr(RATIO))
    steps = exp.Div(this=exp.Ln(this=exp.Div(this=latency, expression=minimum)), expression=exp.Ln(this=ratio))
    index = exp.Add(this=exp.cast(exp.Floor(this=steps), exp.DataType.build("int")), expression=exp.Literal.number(1))
    return exp.Case(
        ifs=[exp.If(this=exp.LT(this=latency, expression=minimum), true=exp.Literal.number(0))], default=index
    )


def native_quantiles(x: exp.Expression, probabilities: list[float], dialect: str) -> list[exp.Expression] | None:
    """One exact quantile aggregate per probability, or None where the engine has none."""
    method = QUANTILE_METHODS[dialect]
    if method == "percentile_cont WITHIN GROUP":
        order = exp.Order(expressions=[exp.Ordered(this=x)])
        return [
            exp.WithinGroup(this=exp.PercentileCont(this=_number(p)), expression=order.copy()) for p in probabilities
        ]
    if method in ("quantile_cont", "percentile"):
        return [exp.Anonymous(this=method.upper(), expressions=[x, _number(p)]) for p in probabilities]
    return None


def ranked_positions(count: int, probabilities: list[float]) -> list[tuple[int, int, float]]:
    """Per probability the 1-based ranks below and above it and the weight of the upper one."""
    out = []
    for p in probabilities:
        h = (count - 1) * p
        out.append((math.floor(h) + 1, math.ceil(h) + 1, h - math.floor(h)))
    return out


def ranked_values_query(source: exp.Expression, x: exp.Expression, ranks: list[int]) -> exp.Select:
    """The non-NULL values of `x` at the given ranks of its sort: SELECT rn, x ... WHERE rn IN (...)."""
    row_number = exp.Window(this=exp.RowNumber(), order=exp.Order(expressions=[exp.Ordered(this=x)]))
    inner = (
        exp.select(alias(x, "x"), alias(row_number, "rn"))
        .from_(source)
        .where(exp.Not(this=exp.Is(this=x, expression=exp.Null())))
    )
    rn = exp.column(exp.to_identifier("rn", quoted=True), table=exp.to_identifier("ranked", quoted=True))
    xs = exp.column(exp.to_identifier("x", quoted=True), table=exp.to_identifier("ranked", quoted=True))
    ranked = exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("ranked", quoted=True)))
    return (
        exp.select(alias(rn, "rn"), alias(xs, "x"))
        .from_(ranked)
        .where(exp.In(this=rn.copy(), expressions=[value(int(r)) for r in sorted(set(ranks))]))
    )


def interpolated(ranks: list[tuple[int, int, float]], at_rank: dict[int, float]) -> list[float]:
    """Linear interpolation between the values at the ranks below and above each probability."""
    return [at_rank[lo] + weight * (at_rank[hi] - at_rank[lo]) for lo, hi, weight in ranks]


def _number(probability: float) -> exp.Expression:
    # our own constants (0, 0.25, ...), written as literals: some engines want them constant
    return exp.Literal.number(repr(float(probability)))
