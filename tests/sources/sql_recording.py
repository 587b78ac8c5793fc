"""A DB-API driver double for rendering tests: it records what SqlSource sends and answers with
the columns the query names (read back from the SQL by sqlglot), so every query is parsed back.

Values are put in the text the way a driver does (a "%s" driver also turns "%%" back into "%"),
as literals rendered by sqlglot, before the text is parsed: what is parsed is what the engine
would read.
"""

import re

import sqlglot
from sqlglot import exp

from airflow_evalguard.sources.sql import SqlSource
from airflow_evalguard.sources.sql_dialects import PLACEHOLDERS

# Answers to the two quantile queries (distinct count and quartiles; the ranked values).
QUARTILE_ROW = (20, 0.0, 1.0, 2.0, 3.0, 4.0)
COUNT_ROW = (20, 9)


def as_engine_reads(sql: str, parameters: list, dialect: str) -> str:
    """The text the engine receives once the driver has put the parameters in (none given: the
    driver leaves the text alone, as SqlSource then passes None)."""
    if not parameters:
        return sql
    values = iter(parameters)
    literal = lambda: exp.convert(next(values)).sql(dialect)  # noqa: E731
    if PLACEHOLDERS[dialect] == "%s":
        return re.sub(r"%(%|s)", lambda m: "%" if m.group(1) == "%" else literal(), sql)
    if PLACEHOLDERS[dialect] == "?":
        # "?" inside a quoted name or string stays: only the placeholders sqlglot parses are replaced
        tree = sqlglot.parse_one(sql, read=dialect)
        return tree.transform(lambda n: exp.convert(next(values)) if isinstance(n, exp.Placeholder) else n).sql(dialect)
    return sql


class _Cursor:
    def __init__(self, hook):
        self.hook = hook

    def execute(self, sql, parameters=None):
        self.hook.sent.append((sql, list(parameters or [])))
        statements = sqlglot.parse(
            as_engine_reads(sql, list(parameters or []), self.hook.dialect), read=self.hook.dialect
        )
        assert len(statements) == 1 and isinstance(statements[0], exp.Select), sql
        self.hook.parsed.append(statements[0])
        names = statements[0].named_selects
        self.description = [(name,) for name in names]
        self.rows = []
        if names and names[0] == "distinct":
            self.rows = [QUARTILE_ROW if len(names) == 6 else COUNT_ROW]
        elif names == ["rn", "x"]:
            self.rows = [(rank, float(rank - 1) / 2) for rank in range(1, 10)]

    def fetchall(self):
        return self.rows


class _Connection:
    def __init__(self, hook):
        self.hook = hook

    def cursor(self):
        return _Cursor(self.hook)

    def close(self):
        pass


class RecordingHook:
    def __init__(self, dialect):
        self.conn_type = dialect
        self.dialect = dialect
        self.sent: list = []
        self.parsed: list = []

    def get_conn(self):
        return _Connection(self)


def recording_source(dialect: str) -> SqlSource:
    return SqlSource(hook=RecordingHook(dialect), dialect=dialect)
