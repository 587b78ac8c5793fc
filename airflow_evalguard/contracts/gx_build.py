"""Build each compiled expectation as Great Expectations will, so a bad contract is refused when it
is validated or loaded, not in the gate: unknown expectation names, kwargs GX rejects, text GX
turns into a non-finite number, row conditions GX would silently cut short, patterns in JSON Schemas.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import TYPE_CHECKING

from airflow_evalguard.contracts.loader import Contract, ContractError
from airflow_evalguard.contracts.messages import short_repr, shorten
from airflow_evalguard.contracts.regex import pattern_problem

if TYPE_CHECKING:
    from airflow_evalguard.contracts.compile import ExpectationSpec


def _gx_class_name(type_name: str) -> str:
    return "".join(part.capitalize() for part in type_name.split("_"))


def expectation_class(type_name: str):
    """The GX class for `expect_...`; an unknown name is a contract error with suggestions."""
    import great_expectations.expectations as gxe

    cls = getattr(gxe, _gx_class_name(type_name), None)
    if cls is None or not isinstance(cls, type) or not issubclass(cls, gxe.Expectation):
        known = sorted(re.sub(r"(?<!^)(?=[A-Z])", "_", n).lower() for n in dir(gxe) if n.startswith("Expect"))
        close = difflib.get_close_matches(type_name[:200], known, n=3)
        hint = f"; did you mean {close}?" if close else ""
        raise ContractError(f"unknown expectation {shorten(repr(type_name))}{hint}")
    return cls


def build_each_as_gx_will(contract: Contract, specs: list[ExpectationSpec]) -> None:
    """Build every expectation now, as the gate will, so `contract validate` refuses what the run
    would: kwargs GX rejects, and text GX's models turn into a non-finite float (a suite's
    "NaN" or "Infinity" is text to YAML, so the loader's number check cannot see it)."""
    for index, spec in enumerate(specs):
        where, clause = contract.source, spec.clause
        if clause.startswith("expectations."):  # a hand-written GX expectation: name its line and kwargs
            i = int(clause.split(".")[1])
            line = contract.expectation_lines[i] if i < len(contract.expectation_lines) else None
            where, clause = f"{where}{f' line {line}' if line else ''}", f"expectations[{i}].kwargs"
        try:
            built = build_expectation(spec, index)
        except ContractError as exc:
            raise ContractError(f"{where}: {exc}") from None
        found = _non_finite_float(built)
        if found is not None:
            raise ContractError(
                f"{where} ({clause}.{found[0]}): GX reads it as {found[1]}, which is not a finite "
                f"number; every number in a contract must be"
            )


def _non_finite_float(expectation) -> tuple[str, float] | None:
    """(top-level field, value) of the first non-finite float in a built GX expectation, nested
    conditions included (explicit stack; pydantic models, mappings and sequences)."""
    pending = [(name, value) for name, value in vars(expectation).items()]
    seen: set[int] = set()
    while pending:
        field, value = pending.pop()
        if isinstance(value, float):
            if not math.isfinite(value):
                return field, value
            continue
        if isinstance(value, (str, bytes, int)) or value is None or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            pending.extend((field, item) for item in value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            pending.extend((field, item) for item in value)
        elif hasattr(value, "__fields__"):  # a pydantic model: a GX condition, column or parameter
            pending.extend((field, item) for item in vars(value).values())
    return None


def check_raw_kwargs(type_name: str, kwargs: dict, where: str) -> None:
    """What a hand-written GX expectation may not ask for: a pattern Python's `re` would run
    (RE2 runs ours), or a row condition handed to pandas' query evaluator."""
    problem = pattern_problem(type_name, kwargs)
    if problem is not None:
        raise ContractError(f"{where}.{problem[0]}): {problem[1]}")
    if type_name == "expect_column_values_to_match_json_schema" and _has_pattern(kwargs.get("json_schema")):
        raise ContractError(
            f"{where}.json_schema): JSON Schema 'pattern' and 'patternProperties' run in Python's "
            f"backtracking `re`; use expect_column_values_to_match_regex (RE2) instead"
        )
    problem = _row_condition_problem(kwargs.get("row_condition"), kwargs.get("condition_parser"))
    if problem is not None:
        raise ContractError(f"{where}.{problem[0]}): {problem[1]}")


GX_CONDITION_PARSERS = ("great_expectations", "great_expectations__experimental__")


def _row_condition_problem(condition, parser) -> tuple[str, str] | None:
    """GX hands a row condition to pandas' `DataFrame.query` (an expression evaluator): as is when
    it is a string without the GX parser or a `pass_through` condition, built with backquoted
    column names otherwise. Only GX-parsed or structured conditions, without backquotes, may pass."""
    evaluator = (
        "would be handed as is to pandas' query evaluator; write it for the 'great_expectations' parser "
        "or as a rule (when ... then ...)"
    )
    if parser is not None and parser not in GX_CONDITION_PARSERS:
        return "condition_parser", f"{shorten(repr(parser), 60)}: the row condition {evaluator}"
    if condition is None:
        return None
    if isinstance(condition, str) and parser is None:
        return "row_condition", f"a text condition without condition_parser {evaluator}"
    if not isinstance(condition, (str, dict)):
        return "row_condition", "a text condition or a GX condition mapping"
    if _mentions(condition, lambda value: isinstance(value, str) and "`" in value):
        return "row_condition", "a backquote would end a column name inside pandas' query evaluator"
    if _mentions(condition, lambda value: isinstance(value, dict) and value.get("type") == "pass_through"):
        return "row_condition", f"a pass_through condition {evaluator}"
    if isinstance(condition, str):
        problem = _gx_text_condition_problem(condition)
        if problem is not None:
            return "row_condition", problem
    return None


def _gx_text_condition_problem(condition: str) -> str | None:
    """GX parses a text condition with pyparsing but without `parse_all`: of
    `col("a")=="x" or <anything>` it keeps `col("a")=="x"` and silently drops the rest, so the gate
    would check a condition nobody wrote. Parse it with GX's own grammar, to the end."""
    from great_expectations.compatibility.pyparsing import ParseException, parse_string
    from great_expectations.expectations.legacy_row_conditions import condition as gx_condition_grammar

    try:
        parsed = parse_string(gx_condition_grammar, condition, parse_all=True)
    except ParseException as exc:
        return (
            f"{short_repr(condition, 100)}: GX's condition parser would read only part of it (it stops at "
            f'character {exc.loc + 1}); it knows one comparison, like col("a") == "x", or '
            f'col("a").notnull(): write more as a rule (when ... then ...) or a GX condition mapping'
        )
    if "fnumber" in parsed and not math.isfinite(float(parsed["fnumber"])):
        return f"{short_repr(parsed['fnumber'], 40)} is not a finite number"
    return None


def _mentions(value, found) -> bool:
    """Whether `found` holds for `value`, or any key or item nested in it (no recursion: the data
    may not have come through the loader's nesting limit)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if found(item):
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


# JSON Schema keywords whose value maps names (property names, definition names) to schemas, and
# keywords whose value is data, not a schema: a key 'pattern' there is a name or a value, not a regex.
_SCHEMAS_BY_NAME = {"properties", "$defs", "definitions", "dependentSchemas", "dependencies"}
_DATA_KEYWORDS = {"const", "enum", "default", "examples", "required", "dependentRequired"}


def _has_pattern(schema) -> bool:
    """Whether a JSON Schema uses `pattern` or `patternProperties` as a keyword anywhere (explicit
    stack, no recursion). Values of keywords we do not know are searched as schemas: fail closed."""
    pending = [schema]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        if "pattern" in item or "patternProperties" in item:
            return True
        for keyword, value in item.items():
            if keyword in _DATA_KEYWORDS:
                continue
            if keyword in _SCHEMAS_BY_NAME and isinstance(value, dict):
                pending.extend(value.values())  # the keys are names
            else:
                pending.append(value)
    return False


def build_expectation(spec: ExpectationSpec, index: int):
    """A GX Expectation object; bad kwargs are a contract error naming the clause."""
    cls = expectation_class(spec.type)
    try:
        return cls(**spec.kwargs, meta={**spec.meta, "clause": spec.clause, "index": index})
    except Exception as exc:  # pydantic validation of kwargs: the contract author's mistake
        first_line = (str(exc).splitlines() or [""])[0]
        raise ContractError(f"{spec.clause}: invalid arguments for {spec.type}: {shorten(first_line)}") from None
