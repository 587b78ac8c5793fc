"""SqlSource: run a check's aggregation in the database, return the sufficient statistics.

Every query is a sqlglot expression tree (sources.sql_tree) rendered for the connection's
dialect (sources.sql_dialects): identifiers quoted the way that dialect quotes, values bound as
parameters where its driver takes them, else literals sqlglot escapes. A table argument is a name
(`schema.table`) or the user's own query, `{"query": "SELECT ..."}`, parsed in the same dialect
and run as a subquery. What differs by engine (local hour in a time zone, exact quantiles) is
chosen per dialect in sources.sql_engine, and each returned table says in `attrs` which method
ran and that it is exact (run_check echoes it in the result's params).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlglot import exp

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.duckdb_embedded import EmbeddedDuckDB
from airflow_evalguard.sources.sql_assignment import assignment_tables
from airflow_evalguard.sources.sql_connections import connection_hook
from airflow_evalguard.sources.sql_dialects import dialect_of, placeholder_for
from airflow_evalguard.sources.sql_engine import as_double, hour_of_day, log_bin
from airflow_evalguard.sources.sql_errors import as_input_error
from airflow_evalguard.sources.sql_tree import alias, column, render, table

log = logging.getLogger(__name__)
SOURCE_ATTR = "evalguard_source"  # DataFrame.attrs key: how the table was aggregated


@dataclass
class Fetched:
    frame: Any  # pandas DataFrame
    seconds: float
    rows: int


def _ordinals(count: int, start: int = 1) -> list[exp.Expression]:
    return [exp.Literal.number(i) for i in range(start, start + count)]


def _count() -> exp.Expression:
    return alias(exp.Count(this=exp.Star()), "count")


class SqlSource:
    """`SqlSource(hook=...)` with a common.sql DbApiHook, or `SqlSource(conn_id=...)`; `dialect=`
    overrides the dialect read from the hook. Default: an embedded DuckDB without Airflow's SQL hook
    (`database=` a file, else in memory; `duckdb_config=` e.g. {"memory_limit": "1GB"};
    `external_access=True` lets DuckDB read files and URLs named as tables: for the DAG author only)."""

    def __init__(
        self,
        conn_id: str | None = None,
        hook=None,
        database: str | None = None,
        duckdb_config: dict | None = None,
        external_access: bool = False,
        dialect: str | None = None,
    ):
        duckdb_args: dict[str, Any] = {"config": duckdb_config, "external_access": external_access}
        if hook is None and conn_id is not None:
            hook = connection_hook(conn_id, dialect, duckdb_args)
        if hook is None:
            hook = EmbeddedDuckDB(database or ":memory:", **duckdb_args)
        self.hook = hook
        self.dialect = dialect_of(hook, dialect)
        self.placeholder = placeholder_for(self.dialect, hook)

    def table(self, source: Any) -> exp.Expression:
        return table(source, self.dialect)

    def fetch(self, query: exp.Expression, method: dict | None = None) -> Fetched:
        rendered = render(query, self.dialect, self.placeholder)
        t0 = time.perf_counter()
        with _Closing(self.hook.get_conn()) as conn:
            cur = conn.cursor()
            try:  # a value that does not convert may surface only while rows are fetched
                cur.execute(rendered.sql, rendered.parameters or None)
                columns = [d[0] for d in cur.description]
                rows = cur.fetchall()
            except Exception as exc:
                refused = as_input_error(exc)
                if refused is None:
                    raise  # a lost connection or a lock: a retry may pass
                raise refused from None
        frame = pd.DataFrame.from_records(rows, columns=columns)
        frame.attrs[SOURCE_ATTR] = {"form": "sql", "dialect": self.dialect, **(method or {})}
        seconds = time.perf_counter() - t0
        log.info("SqlSource (%s): %d aggregated rows in %.2f s", self.dialect, len(frame), seconds)
        return Fetched(frame, seconds, len(frame))

    # -- one aggregation per check ---------------------------------------------------------------
    def sampling_window_counts(
        self, table: Any, *, timestamp_column: str = "ts", dimensions: Sequence[str] = (), timezone: str = "UTC"
    ) -> pd.DataFrame:
        """`hour_of_day`, the dimensions and `count`: the sample (or reference) as counts per stratum."""
        hour, method = hour_of_day(column(timestamp_column), timezone, self.dialect)
        dims = [column(d) for d in dimensions]
        query = exp.select(alias(hour, "hour_of_day"), *dims, _count()).from_(self.table(table))
        counts = self.fetch(query.group_by(*_ordinals(len(dims) + 1)), method).frame
        missing = int(counts.loc[counts["hour_of_day"].isna(), "count"].sum()) if len(counts) else 0
        if missing:  # a NULL timestamp, or a zone the engine does not know (MySQL without its zone tables)
            raise EvalGuardInputError(
                f"{missing} row(s) have no hour of day in {str(timezone)[:50]!r}: a NULL '{timestamp_column}', "
                f"or a time zone the database does not know ({method['hour_method']})",
                column=timestamp_column,
            )
        return counts

    def latency_histogram(
        self,
        table: Any,
        *,
        endpoint: str = "endpoint",
        latency: str = "latency_ms",
        by: Sequence[str] = ("latency_class", "is_cold"),
    ) -> pd.DataFrame:
        """Per endpoint (and `by` columns) the request count per bin of the log grid (stats.log_bins)."""
        keys = [alias(column(c), n) for c, n in zip([endpoint, *by], ["endpoint", *by], strict=True)]
        query = exp.select(*keys, alias(log_bin(column(latency)), "bin"), _count()).from_(self.table(table))
        return self.fetch(query.group_by(*_ordinals(len(keys) + 1))).frame

    def label_counts(
        self, table: Any, *, batch: str = "batch", item: str = "item_id", label: str = "label"
    ) -> pd.DataFrame:
        """labeler_agreement's sufficient statistic: per batch and item, how many labelers gave each label."""
        keys = [alias(column(c), n) for c, n in ((batch, "batch"), (item, "item_id"), (label, "label"))]
        query = exp.select(*keys, _count()).from_(self.table(table))
        query = query.where(exp.Not(this=exp.Is(this=column(label), expression=exp.Null())))
        return self.fetch(query.group_by(*_ordinals(3))).frame

    def _paired(
        self, left: Any, right: Any, id_column: str, by: list[str], aggregates: list, values: Sequence = ()
    ) -> pd.DataFrame:
        """Join two tables on the id and GROUP BY the `by` columns (from the left table) and `values`
        expressions: prompts/examples on one side only are left out (as with allow_unpaired)."""
        sides = []
        for source, name in ((left, "a"), (right, "b")):
            node = self.table(source)
            node.set("alias", exp.TableAlias(this=exp.to_identifier(name, quoted=True)))
            sides.append(node)
        keys = [alias(column(c, "a"), c) for c in by] + list(values)
        on = exp.EQ(this=column(id_column, "a"), expression=column(id_column, "b"))
        query = exp.select(*keys, *aggregates).from_(sides[0]).join(sides[1], on=on, join_type="inner")
        return self.fetch(query.group_by(*_ordinals(len(keys))) if keys else query).frame

    def refusal_cells(
        self,
        baseline_table: Any,
        candidate_table: Any,
        *,
        id_column: str = "prompt_id",
        by: str = "category",
        expected: str = "expected",
        label: str = "label",
    ) -> pd.DataFrame:
        """refusal_regression's paired cells: category, expected, baseline label, candidate label, count."""
        values = [
            alias(column(expected, "a"), "expected"),
            alias(column(label, "a"), "baseline"),
            alias(column(label, "b"), "candidate"),
        ]
        return self._paired(baseline_table, candidate_table, id_column, [by], [_count()], values)

    def paired_cells(
        self,
        left_table: Any,
        right_table: Any,
        *,
        id_column: str = "example_id",
        by: Sequence[str] = (),
        value: str = "correct",
        sides: tuple[str, str] = ("teacher", "student"),
    ) -> pd.DataFrame:
        """slice_retention's paired cells: the `by` columns, `<left>_<value>`, `<right>_<value>` and count."""
        values = [alias(column(value, "a"), f"{sides[0]}_{value}"), alias(column(value, "b"), f"{sides[1]}_{value}")]
        return self._paired(left_table, right_table, id_column, list(by), [_count()], values)

    def paired_moments(
        self,
        left_table: Any,
        right_table: Any,
        *,
        id_column: str = "example_id",
        by: Sequence[str] = (),
        value: str = "score",
    ) -> pd.DataFrame:
        """slice_retention's score moments per stratum of `by`: count, teacher_sum, student_sum,
        diff_sum, diff_sumsq (left = teacher). A NULL score is an error, as it is for rows."""
        a, b = (as_double(column(value, side)) for side in ("a", "b"))
        diff = exp.Paren(this=exp.Sub(this=a.copy(), expression=b.copy()))
        either_null = exp.Or(
            this=exp.Is(this=a.copy(), expression=exp.Null()), expression=exp.Is(this=b.copy(), expression=exp.Null())
        )
        aggregates = [
            _count(),
            alias(exp.Sum(this=a), "teacher_sum"),
            alias(exp.Sum(this=b), "student_sum"),
            alias(exp.Sum(this=diff), "diff_sum"),
            alias(exp.Sum(this=exp.Mul(this=diff.copy(), expression=diff.copy())), "diff_sumsq"),
            alias(exp.Sum(this=_flag(either_null)), "missing"),
        ]
        frame = self._paired(left_table, right_table, id_column, list(by), aggregates)
        missing = int(frame.pop("missing").fillna(0).sum()) if len(frame) else 0
        if missing:
            raise EvalGuardInputError(
                f"{_name(left_table)} / {_name(right_table)}: {missing} paired example(s) have a NULL "
                f"'{value}'; scores must be numbers in every row",
                column=value,
            )
        return frame

    def judge_score_counts(
        self, table: Any, *, judge_model: str = "judge_model", score: str = "score", parse_error: str | None = None
    ) -> pd.DataFrame:
        """judge_drift's `score_counts`: per judge_model, the scores and the failed ones (score NULL,
        or the boolean `parse_error` column true)."""
        failed: exp.Expression = exp.Is(this=column(score), expression=exp.Null())
        if parse_error:
            failed = exp.Or(this=failed, expression=exp.Coalesce(this=column(parse_error), expressions=[exp.false()]))
        query = exp.select(
            alias(column(judge_model), "judge_model"), _count(), alias(exp.Sum(this=_flag(failed)), "failed")
        )
        return self.fetch(query.from_(self.table(table)).group_by(*_ordinals(1))).frame

    def rubric_item_sums(self, table: Any) -> pd.DataFrame:
        """rubric_drift's `item_sums`: per item, criterion, period and rater type, the ratings' count,
        sum, min and max (scores NULL are counted as `missing`)."""
        kind = exp.Lower(this=exp.Trim(this=exp.cast(column("rater_type"), exp.DataType.build("varchar"))))
        x = as_double(column("score"))
        query = exp.select(
            *(column(c) for c in ("item_id", "criterion", "period")),
            alias(kind, "rater_type"),
            alias(exp.Count(this=x.copy()), "count"),
            alias(exp.Sum(this=x.copy()), "sum"),
            alias(exp.Min(this=x.copy()), "min"),
            alias(exp.Max(this=x.copy()), "max"),
            alias(exp.Sum(this=_flag(exp.Is(this=x.copy(), expression=exp.Null()))), "missing"),
        )
        return self.fetch(query.from_(self.table(table)).group_by(*_ordinals(4))).frame

    def assignment_tables(
        self,
        table: Any,
        *,
        arm: str = "arm",
        categorical: Sequence[str] = (),
        numeric: Sequence[str] = (),
        binned: Sequence[str] = (),
    ) -> dict[str, pd.DataFrame]:
        """assignment_integrity's pre-aggregated inputs (sources.sql_assignment)."""
        return assignment_tables(self, table, arm=arm, categorical=categorical, numeric=numeric, binned=binned)


def _flag(condition: exp.Expression) -> exp.Expression:
    """1 where `condition` holds, else 0 (summed to count the rows where it holds)."""
    return exp.Case(ifs=[exp.If(this=condition, true=exp.Literal.number(1))], default=exp.Literal.number(0))


def _name(source: Any) -> str:
    return source if isinstance(source, str) else "query"


class _Closing:
    """Close the connection on exit (psycopg2's own context manager only ends the transaction)."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        return self.conn

    def __exit__(self, *exc):
        self.conn.close()
