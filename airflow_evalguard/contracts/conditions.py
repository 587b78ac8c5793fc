"""The contract's condition language: `severity == "high"`, `handoff_target is not null`, ...

Rules read `when <condition> then <condition>`; a condition is clauses joined by `and`. Parsed
by a small tokenizer into data (never `eval`, never `DataFrame.query`), then handed to Great
Expectations as structured row conditions, or evaluated on a DataFrame for the behavioural
clauses GX does not express.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from airflow_evalguard.contracts.messages import short_repr, shorten
from airflow_evalguard.exceptions import EvalGuardInputError

COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\w.])
      | (?P<op>==|!=|<=|>=|<|>)
      | (?P<punct>[\[\],])
      | (?P<quoted>`[^`]+`)
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "is", "not", "null", "empty", "in", "when", "then", "true", "false"}


@dataclass(frozen=True)
class Clause:
    """One test on one column: `op` is a comparison, `in`, `not in`, `is null` or `is not null`."""

    column: str
    op: str
    value: Any = None

    def describe(self) -> str:
        if self.op.startswith("is "):
            return f"{self.column} {self.op}"
        return f"{self.column} {self.op} {self.value!r}"


@dataclass(frozen=True)
class Rule:
    when: tuple[Clause, ...]
    then: tuple[Clause, ...]
    text: str


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise EvalGuardInputError(
                f"cannot read condition {short_repr(text)} at character {pos + 1}: {text[pos : pos + 20]!r}"
            )
        kind = m.lastgroup or ""  # every alternative of the pattern is a named group
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _literal(kind: str, raw: str) -> Any:
    if kind == "string":
        body = raw[1:-1]
        return re.sub(r"\\(.)", r"\1", body)
    if kind == "number":
        number = float(raw) if any(c in raw for c in ".eE") else int(raw)  # int: ValueError past 4,300 digits
        if abs(number) > sys.float_info.max:  # 1e999 is infinity: a bound that is no bound
            raise ValueError(f"{shorten(raw, 40)} is not a finite number")
        return number
    if kind == "word" and raw in ("true", "false"):
        return raw == "true"
    raise ValueError(raw)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def error(self, what: str) -> EvalGuardInputError:
        near = " ".join(t for _, t in self.toks[self.i : self.i + 3]) or "the end"
        return EvalGuardInputError(f"condition {short_repr(self.text)}: {what} (near {short_repr(near, 60)})")

    def peek(self, value: str | None = None) -> bool:
        if self.i >= len(self.toks):
            return False
        return value is None or self.toks[self.i][1].lower() == value

    def take(self) -> tuple[str, str]:
        if self.i >= len(self.toks):
            raise self.error("unexpected end")
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        if not self.peek(value):
            raise self.error(f"expected '{value}'")
        self.i += 1

    def column(self) -> str:
        kind, raw = self.take()
        if kind == "quoted":
            return raw[1:-1]
        if kind == "word" and raw.lower() not in _KEYWORDS:
            return raw
        self.i -= 1
        raise self.error("expected a column name")

    def literal(self) -> Any:
        kind, raw = self.take()
        try:
            return _literal(kind, raw)
        except ValueError as exc:
            self.i -= 1
            raise self.error(
                str(exc) if kind == "number" else 'expected a value ("text", a number, true or false)'
            ) from None

    def clause(self) -> Clause:
        col = self.column()
        if self.peek("is"):
            self.i += 1
            negated = self.peek("not")
            if negated:
                self.i += 1
            if self.peek("empty"):  # blank text (whitespace only) counts as empty: nobody can read it
                self.i += 1
                return Clause(col, "is not empty" if negated else "is empty")
            self.expect("null")
            return Clause(col, "is not null" if negated else "is null")
        op = "in"
        if self.peek("not"):
            self.i += 1
            op = "not in"
        if self.peek("in"):
            self.i += 1
            self.expect("[")
            values = [self.literal()]
            while self.peek(","):
                self.i += 1
                values.append(self.literal())
            self.expect("]")
            return Clause(col, op, tuple(values))
        if op == "not in":
            raise self.error("expected 'in' after 'not'")
        kind, raw = self.take()
        if kind != "op":
            self.i -= 1
            raise self.error(f"expected one of {list(COMPARISONS)}, 'in', 'not in' or 'is [not] null'")
        value = self.literal()
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if raw in ("<", "<=", ">", ">=") and not is_number:
            raise self.error(f"'{raw}' needs a number")
        return Clause(col, raw, value)

    def clauses(self, stop: str | None = None) -> tuple[Clause, ...]:
        out = [self.clause()]
        while self.peek("and"):
            self.i += 1
            out.append(self.clause())
        if stop is None and self.i < len(self.toks):
            raise self.error("unexpected text after the condition")
        return tuple(out)


def parse_condition(text: str) -> tuple[Clause, ...]:
    """`a == "x" and b is not null` -> clauses (all must hold)."""
    return _Parser(text).clauses()


def parse_rule(text: str) -> Rule:
    """`when <condition> then <condition>`."""
    p = _Parser(text)
    p.expect("when")
    when = p.clauses(stop="then")
    p.expect("then")
    then = p.clauses()
    return Rule(when=when, then=then, text=text)


def columns_of(clauses: tuple[Clause, ...]) -> list[str]:
    return list(dict.fromkeys(c.column for c in clauses))


def to_gx_row_condition(clauses: tuple[Clause, ...]):
    """Structured GX row condition (no pandas query strings: the values never reach an evaluator)."""
    from great_expectations.expectations.row_conditions import AndCondition, Column

    parts: list[Any] = []
    for c in clauses:
        col = Column(c.column)
        if c.op in ("is empty", "is not empty"):
            raise EvalGuardInputError(
                f"'{c.describe()}' can only follow 'then' (GX has no row condition for blank text)"
            )
        if c.op == "is null":
            parts.append(col.is_null())
        elif c.op == "is not null":
            parts.append(col.is_not_null())
        elif c.op == "in":
            parts.append(col.is_in(list(c.value)))
        elif c.op == "not in":
            parts.append(col.is_not_in(list(c.value)))
        else:
            parts.append(
                {
                    "==": col.__eq__,
                    "!=": col.__ne__,
                    "<": col.__lt__,
                    "<=": col.__le__,
                    ">": col.__gt__,
                    ">=": col.__ge__,
                }[c.op](c.value)
            )
    return parts[0] if len(parts) == 1 else AndCondition(conditions=parts)


def evaluate(clauses: tuple[Clause, ...], frame) -> Any:
    """Boolean numpy mask of rows where every clause holds (a null never satisfies a comparison)."""
    mask = np.ones(len(frame), dtype=bool)
    for c in clauses:
        if c.column not in frame.columns:
            raise EvalGuardInputError(
                f"condition on column {short_repr(c.column, 100)}, which the records do not have", column=c.column
            )
        col = frame[c.column]
        present = col.notna().to_numpy()
        if c.op == "is null":
            hit = ~present
        elif c.op == "is not null":
            hit = present
        elif c.op in ("is empty", "is not empty"):
            blank = ~col.astype("string").str.contains(r"\S", regex=True).fillna(False).to_numpy(dtype=bool)
            hit = blank if c.op == "is empty" else ~blank
        elif c.op in ("in", "not in"):
            inside = col.isin(list(c.value)).to_numpy()
            hit = present & (inside if c.op == "in" else ~inside)
        else:
            with np.errstate(invalid="ignore"):
                compared = {"==": col.eq, "!=": col.ne, "<": col.lt, "<=": col.le, ">": col.gt, ">=": col.ge}[c.op](
                    c.value
                )
            hit = present & compared.fillna(False).to_numpy(dtype=bool)
        mask &= hit
    return mask
