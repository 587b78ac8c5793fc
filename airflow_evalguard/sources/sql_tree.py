"""SQL as sqlglot expression trees: quoted identifiers, tables or the user's own query, bound values.

Nothing the caller gives becomes SQL text by formatting: a name is an identifier node, quoted the
way the target dialect quotes (`"a""b"`, `` `a``b` ``, BigQuery's `` `a\\`b` ``), a value is a
bound parameter (or, where the driver takes none, a literal sqlglot escapes for the dialect), and
a query the user writes is parsed in the connection's dialect, refused unless it is one read-only
query, and rendered back from its tree as a subquery. Rendering raises where sqlglot cannot say
something in a dialect instead of dropping it (sqlglot would otherwise, e.g., leave out MySQL's
AT TIME ZONE with only a warning).
"""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from airflow_evalguard.exceptions import EvalGuardInputError

MAX_QUERY_CHARS = 100_000
# Nodes that write, lock or run something other than a query: never inside a user's query.
_NOT_READ_ONLY = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Command,
    exp.Into,
    exp.Lock,
    exp.Copy,
    exp.Set,
    exp.Use,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
)


def identifier(name: Any) -> exp.Identifier:
    if not isinstance(name, str) or not name or "\x00" in name:
        raise EvalGuardInputError(f"not a usable SQL identifier: {str(name)[:100]!r}")
    return exp.to_identifier(name, quoted=True)


def column(name: str, table: str | None = None) -> exp.Column:
    return exp.Column(this=identifier(name), table=identifier(table) if table else None)


def alias(expression: exp.Expression, name: str) -> exp.Alias:
    # quoted, so that Snowflake keeps `count` lower-case and no dialect reads a keyword
    return exp.Alias(this=expression, alias=identifier(name))


def table(source: Any, dialect: str) -> exp.Expression:
    """A table named `schema.table` (each part an identifier) or `{"query": "SELECT ..."}`."""
    if isinstance(source, dict):
        if set(source) != {"query"}:
            raise EvalGuardInputError(f"a table given as a mapping takes only 'query', not {sorted(map(str, source))}")
        # named: PostgreSQL before 16 and MySQL refuse a subquery in FROM without an alias
        return exp.Subquery(this=user_query(source["query"], dialect), alias=exp.TableAlias(this=identifier("query")))
    if not isinstance(source, str):
        raise EvalGuardInputError(f"a table is a name or {{'query': ...}}, not {type(source).__name__}")
    names = [identifier(part) for part in source.split(".")]
    # past catalog.schema.table the rest is one dotted name (DuckDB: nested catalogs, or a file)
    name: exp.Expression = names[-1] if len(names) <= 3 else exp.Dot.build(names[2:])
    return exp.Table(
        this=name,
        db=names[1 if len(names) > 2 else 0] if len(names) > 1 else None,
        catalog=names[0] if len(names) > 2 else None,
    )


def user_query(text: Any, dialect: str) -> exp.Query:
    """The user's query as a tree: one read-only SELECT (or set operation) in `dialect`."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_QUERY_CHARS:
        raise EvalGuardInputError(f"query must be SQL text of at most {MAX_QUERY_CHARS} characters")
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect, error_level=ErrorLevel.RAISE) if s is not None]
    except SqlglotError as exc:
        raise EvalGuardInputError(f"query is not valid {dialect} SQL: {str(exc).splitlines()[0][:300]}") from None
    if len(statements) != 1:
        raise EvalGuardInputError(f"query must be one statement, not {len(statements)}")
    query = statements[0]
    if not isinstance(query, exp.Query):
        raise EvalGuardInputError(f"query must be a SELECT, not {query.key.upper()}")
    refused = next((node for node in query.walk() if isinstance(node, _NOT_READ_ONLY)), None)
    if (
        refused is not None
        or query.find(exp.Select) is None
        or any(s.args.get("locks") for s in query.find_all(exp.Select))
    ):
        what = refused.key.upper() if refused is not None else "a locking clause"
        raise EvalGuardInputError(f"query must only read: it contains {what}")
    return query


def value(item: Any) -> exp.Expression:
    """A value the query needs: bound when rendered for a driver that takes parameters."""
    if isinstance(item, float) and not math.isfinite(item):
        raise EvalGuardInputError(f"a SQL value must be finite, not {item}")
    if not isinstance(item, (str, int, float, bool)):
        raise EvalGuardInputError(f"a SQL value is a string or a number, not {type(item).__name__}")
    node = exp.Placeholder()
    node.meta["evalguard_value"] = item
    return node


@dataclass(frozen=True)
class Rendered:
    sql: str
    parameters: list


def render(expression: exp.Expression, dialect: str, placeholder: str | None) -> Rendered:
    """SQL text for `dialect` and its parameters, in the order their placeholders appear.

    Each value is first rendered as a random token, then the tokens are replaced by the driver's
    placeholder in the order they occur in the text (sqlglot may reorder clauses)."""
    token = f"egp{secrets.token_hex(8)}n"
    values: list = []

    def substitute(node: exp.Expression) -> Any:
        if isinstance(node, exp.Placeholder) and "evalguard_value" in node.meta:
            item = node.meta["evalguard_value"]
            if placeholder is None:
                return exp.convert(item)
            values.append(item)
            return exp.var(f"{token}{len(values) - 1}x")
        return node

    tree = expression.copy().transform(substitute)
    try:
        sql = tree.sql(dialect=dialect, unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as exc:
        raise EvalGuardInputError(f"this aggregation cannot be written in {dialect}: {str(exc)[:300]}") from None
    if placeholder is None or not values:
        return Rendered(sql, [])
    if placeholder == "%s":
        sql = sql.replace("%", "%%")  # a format-style driver reads every other % as a directive
    order: list = []

    def bind(match: re.Match) -> str:
        order.append(values[int(match.group(1))])
        return placeholder

    return Rendered(re.sub(re.escape(token) + r"(\d+)x", bind, sql), order)
