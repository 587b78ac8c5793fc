"""SqlSource: run a check's aggregation in the database, return the sufficient statistics.

Queries are built from table and column names the caller gives: every identifier is quoted
(`"name"`, embedded quotes doubled; `schema.table` quoted part by part) and every value is a
bound parameter, never formatted into the SQL. That quoting is ANSI's, so only dialects that
read `"..."` as an identifier with `""` inside are accepted: PostgreSQL and DuckDB (MySQL, Spark
and BigQuery read it as a string with backslash escapes, where a name ending in `\\` would turn
the next one into SQL). Those two differ in one place, the hour of day in a time zone, which is
asked of the database (so DST is the database's job, as in pandas).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.histograms import bin_sql
from airflow_evalguard.sources.sql_assignment import assignment_tables
from airflow_evalguard.sources.sql_errors import as_input_error
from airflow_evalguard.sources.sql_text import quote_identifier, quote_table, supported_dialect

log = logging.getLogger(__name__)


@dataclass
class Fetched:
    frame: Any  # pandas DataFrame
    seconds: float
    rows: int


class SqlSource:
    """`SqlSource(hook=...)` with a PostgreSQL or DuckDB DbApiHook, or `SqlSource(conn_id=...)`;
    default DuckDB (`database=` a file, else in memory; `duckdb_config=` e.g. {"memory_limit": "1GB"};
    `external_access=True` lets DuckDB read files and URLs named as tables: for the DAG author only)."""

    def __init__(
        self,
        conn_id: str | None = None,
        hook=None,
        database: str | None = None,
        duckdb_config: dict | None = None,
        external_access: bool = False,
    ):
        from airflow_evalguard.sources.duckdb_hook import DuckDBHook

        duckdb_args: dict[str, Any] = {"config": duckdb_config, "external_access": external_access}
        if hook is None and conn_id is not None:
            from airflow.sdk import BaseHook

            connection = BaseHook.get_connection(conn_id)
            if supported_dialect(connection.conn_type, f"connection '{conn_id}'") == "duckdb":
                hook = DuckDBHook(duckdb_conn_id=conn_id, **duckdb_args)
            else:
                hook = connection.get_hook()
        if hook is None:
            hook = DuckDBHook(database=database or ":memory:", **duckdb_args)
        self.hook = hook
        self.dialect = supported_dialect(getattr(hook, "conn_type", None), type(hook).__name__)
        self.placeholder = getattr(hook, "placeholder", "%s") or "%s"

    def _hour(self, ts: str) -> str:
        # Both PostgreSQL and DuckDB read `timestamptz AT TIME ZONE zone` as local wall time.
        return f"CAST(EXTRACT(HOUR FROM {quote_identifier(ts)} AT TIME ZONE {self.placeholder}) AS INTEGER)"

    def fetch(self, sql: str, parameters: list) -> Fetched:
        t0 = time.perf_counter()
        with _Closing(self.hook.get_conn()) as conn:
            cur = conn.cursor()
            try:  # a value that does not convert may surface only while rows are fetched
                cur.execute(sql, parameters)
                columns = [d[0] for d in cur.description]
                rows = cur.fetchall()
            except Exception as exc:
                refused = as_input_error(exc)
                if refused is None:
                    raise  # a lost connection or a lock: a retry may pass
                raise refused from None
        frame = pd.DataFrame.from_records(rows, columns=columns)
        seconds = time.perf_counter() - t0
        log.info("SqlSource (%s): %d aggregated rows in %.2f s", self.dialect, len(frame), seconds)
        return Fetched(frame, seconds, len(frame))

    # -- one aggregation per check ---------------------------------------------------------------
    def sampling_window_counts(
        self, table: str, *, timestamp_column: str = "ts", dimensions: Sequence[str] = (), timezone: str = "UTC"
    ) -> pd.DataFrame:
        """`hour_of_day`, the dimensions and `count`: the sample (or reference) as counts per stratum."""
        dims = [quote_identifier(d) for d in dimensions]
        hour = self._hour(timestamp_column)
        select = ", ".join([f"{hour} AS hour_of_day", *dims, "COUNT(*) AS count"])
        group = ", ".join(["1", *[str(i + 2) for i in range(len(dims))]])
        sql = f"SELECT {select} FROM {quote_table(table)} GROUP BY {group}"
        return self.fetch(sql, [timezone]).frame

    def latency_histogram(
        self,
        table: str,
        *,
        endpoint: str = "endpoint",
        latency: str = "latency_ms",
        by: Sequence[str] = ("latency_class", "is_cold"),
    ) -> pd.DataFrame:
        """Per endpoint (and `by` columns) the request count per bin of the log grid (stats.log_bins)."""
        cols = [quote_identifier(endpoint), *(quote_identifier(c) for c in by)]
        names = [f"{c} AS {quote_identifier(n)}" for c, n in zip(cols, ["endpoint", *by], strict=True)]
        select = ", ".join([*names, f"{bin_sql(quote_identifier(latency))} AS bin", "COUNT(*) AS count"])
        group = ", ".join(str(i + 1) for i in range(len(cols) + 1))
        return self.fetch(f"SELECT {select} FROM {quote_table(table)} GROUP BY {group}", []).frame

    def label_counts(
        self, table: str, *, batch: str = "batch", item: str = "item_id", label: str = "label"
    ) -> pd.DataFrame:
        """labeler_agreement's sufficient statistic: per batch and item, how many labelers gave each label."""
        b, i, l_ = (quote_identifier(c) for c in (batch, item, label))
        sql = (
            f"SELECT {b} AS batch, {i} AS item_id, {l_} AS label, COUNT(*) AS count FROM {quote_table(table)} "
            f"WHERE {l_} IS NOT NULL GROUP BY 1, 2, 3"
        )
        return self.fetch(sql, []).frame

    def _paired(
        self, left: str, right: str, id_column: str, by: list[str], aggregates: list[str], values: Sequence[str] = ()
    ) -> pd.DataFrame:
        """Join two tables on the id and GROUP BY the `by` columns (from the left table) and `values`
        expressions: prompts/examples on one side only are left out (as with allow_unpaired)."""
        i = quote_identifier(id_column)
        keys = [f"a.{quote_identifier(c)} AS {quote_identifier(c)}" for c in by] + list(values)
        select = ", ".join([*keys, *aggregates])
        group = ", ".join(str(k + 1) for k in range(len(keys)))
        sql = f"SELECT {select} FROM {quote_table(left)} AS a JOIN {quote_table(right)} AS b ON a.{i} = b.{i}" + (
            f" GROUP BY {group}" if keys else ""
        )
        return self.fetch(sql, []).frame

    def refusal_cells(
        self,
        baseline_table: str,
        candidate_table: str,
        *,
        id_column: str = "prompt_id",
        by: str = "category",
        expected: str = "expected",
        label: str = "label",
    ) -> pd.DataFrame:
        """refusal_regression's paired cells: category, expected, baseline label, candidate label, count."""
        e, l_ = quote_identifier(expected), quote_identifier(label)
        values = [f"a.{e} AS {quote_identifier('expected')}", f"a.{l_} AS baseline", f"b.{l_} AS candidate"]
        return self._paired(baseline_table, candidate_table, id_column, [by], ["COUNT(*) AS count"], values)

    def paired_cells(
        self,
        left_table: str,
        right_table: str,
        *,
        id_column: str = "example_id",
        by: Sequence[str] = (),
        value: str = "correct",
        sides: tuple[str, str] = ("teacher", "student"),
    ) -> pd.DataFrame:
        """slice_retention's paired cells: the `by` columns, `<left>_<value>`, `<right>_<value>` and count."""
        v = quote_identifier(value)
        values = [
            f"a.{v} AS {quote_identifier(f'{sides[0]}_{value}')}",
            f"b.{v} AS {quote_identifier(f'{sides[1]}_{value}')}",
        ]
        return self._paired(left_table, right_table, id_column, list(by), ["COUNT(*) AS count"], values)

    def paired_moments(
        self,
        left_table: str,
        right_table: str,
        *,
        id_column: str = "example_id",
        by: Sequence[str] = (),
        value: str = "score",
    ) -> pd.DataFrame:
        """slice_retention's score moments per stratum of `by`: count, teacher_sum, student_sum,
        diff_sum, diff_sumsq (left = teacher). A NULL score is an error, as it is for rows."""
        a, b = (f"CAST({side}.{quote_identifier(value)} AS DOUBLE PRECISION)" for side in ("a", "b"))
        aggregates = [
            "COUNT(*) AS count",
            f"SUM({a}) AS teacher_sum",
            f"SUM({b}) AS student_sum",
            f"SUM({a} - {b}) AS diff_sum",
            f"SUM(({a} - {b}) * ({a} - {b})) AS diff_sumsq",
            f"SUM(CASE WHEN {a} IS NULL OR {b} IS NULL THEN 1 ELSE 0 END) AS missing",
        ]
        frame = self._paired(left_table, right_table, id_column, list(by), aggregates)
        missing = int(frame.pop("missing").fillna(0).sum()) if len(frame) else 0
        if missing:
            raise EvalGuardInputError(
                f"{left_table} / {right_table}: {missing} paired example(s) have a NULL "
                f"'{value}'; scores must be numbers in every row",
                column=value,
            )
        return frame

    def judge_score_counts(
        self, table: str, *, judge_model: str = "judge_model", score: str = "score", parse_error: str | None = None
    ) -> pd.DataFrame:
        """judge_drift's `score_counts`: per judge_model, the scores and the failed ones (score NULL,
        or the boolean `parse_error` column true)."""
        m, sc = quote_identifier(judge_model), quote_identifier(score)
        failed = f"{sc} IS NULL" + (f" OR COALESCE({quote_identifier(parse_error)}, FALSE)" if parse_error else "")
        sql = (
            f"SELECT {m} AS judge_model, COUNT(*) AS count, SUM(CASE WHEN {failed} THEN 1 ELSE 0 END) AS failed "
            f"FROM {quote_table(table)} GROUP BY 1"
        )
        return self.fetch(sql, []).frame

    def rubric_item_sums(self, table: str) -> pd.DataFrame:
        """rubric_drift's `item_sums`: per item, criterion, period and rater type, the ratings' count,
        sum, min and max (scores NULL are counted as `missing`)."""
        keys = ", ".join(quote_identifier(c) for c in ("item_id", "criterion", "period"))
        kind = f"LOWER(TRIM(CAST({quote_identifier('rater_type')} AS VARCHAR)))"
        x = f"CAST({quote_identifier('score')} AS DOUBLE PRECISION)"
        sql = (
            f"SELECT {keys}, {kind} AS rater_type, COUNT({x}) AS count, SUM({x}) AS sum, MIN({x}) AS min, "
            f"MAX({x}) AS max, SUM(CASE WHEN {x} IS NULL THEN 1 ELSE 0 END) AS missing "
            f"FROM {quote_table(table)} GROUP BY 1, 2, 3, 4"
        )
        return self.fetch(sql, []).frame

    def assignment_tables(
        self,
        table: str,
        *,
        arm: str = "arm",
        categorical: Sequence[str] = (),
        numeric: Sequence[str] = (),
        binned: Sequence[str] = (),
    ) -> dict[str, pd.DataFrame]:
        """assignment_integrity's pre-aggregated inputs (sources.sql_assignment)."""
        return assignment_tables(self, table, arm=arm, categorical=categorical, numeric=numeric, binned=binned)


class _Closing:
    """Close the connection on exit (psycopg2's own context manager only ends the transaction)."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        return self.conn

    def __exit__(self, *exc):
        self.conn.close()
