"""Compile a contract into Great Expectations expectations.

Each expectation carries `meta.clause`: the contract line it came from (`fields.severity.enum`,
`rules[0]`), so a failure reads in the author's words, not GX's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from airflow_evalguard.contracts.conditions import Clause, to_gx_row_condition
from airflow_evalguard.contracts.gx_build import (
    build_each_as_gx_will,
    build_expectation,
    check_raw_kwargs,
    expectation_class,
)
from airflow_evalguard.contracts.loader import Contract, ContractError
from airflow_evalguard.contracts.regex import NON_BLANK, pattern_problem

# Contract type -> dtype / Python type names GX's expect_column_values_to_be_in_type_list accepts.
# Object columns are checked value by value (by Python type name), typed columns by dtype name.
TYPE_NAMES = {
    "string": ["str"],
    "integer": [
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "Int8",
        "Int16",
        "Int32",
        "Int64",
        "UInt8",
        "UInt16",
        "UInt32",
        "UInt64",
    ],
    "number": [
        "int",
        "float",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
        "Int8",
        "Int16",
        "Int32",
        "Int64",
        "Float32",
        "Float64",
    ],
    "boolean": ["bool", "boolean"],
    "timestamp": ["datetime64", "Timestamp", "datetime", "DatetimeTZDtype"],
}


@dataclass
class ExpectationSpec:
    type: str
    kwargs: dict[str, Any]
    clause: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def column(self) -> str | None:
        return self.kwargs.get("column")


def _field_expectations(name: str, spec: dict) -> list[ExpectationSpec]:
    base = f"fields.{name}"
    mostly = {"mostly": spec["mostly"]} if "mostly" in spec else {}

    def expect(kind: str, suffix: str, **extra: Any) -> ExpectationSpec:
        return ExpectationSpec(kind, {"column": name, **extra, **mostly}, f"{base}.{suffix}")

    out = [ExpectationSpec("expect_column_to_exist", {"column": name}, base)]
    if spec.get("required"):
        out.append(expect("expect_column_values_to_not_be_null", "required"))
    if "type" in spec:
        out.append(expect("expect_column_values_to_be_in_type_list", "type", type_list=TYPE_NAMES[spec["type"]]))
    if spec.get("non_empty"):
        # "non-empty" means a person could read something: whitespace-only text is empty.
        out.append(expect("expect_column_values_to_not_be_null", "non_empty"))
        out.append(expect("expect_column_values_to_match_regex", "non_empty", regex=NON_BLANK))
    if "enum" in spec:
        out.append(expect("expect_column_values_to_be_in_set", "enum", value_set=list(spec["enum"])))
    if "regex" in spec:
        out.append(expect("expect_column_values_to_match_regex", "regex", regex=spec["regex"]))
    if "min" in spec or "max" in spec:
        out.append(
            expect("expect_column_values_to_be_between", "range", min_value=spec.get("min"), max_value=spec.get("max"))
        )
    if "min_length" in spec or "max_length" in spec:
        out.append(
            expect(
                "expect_column_value_lengths_to_be_between",
                "length",
                min_value=spec.get("min_length"),
                max_value=spec.get("max_length"),
            )
        )
    if spec.get("unique"):
        out.append(expect("expect_column_values_to_be_unique", "unique"))
    return out


def _then_expectation(clause: Clause, condition, mostly: float, label: str) -> ExpectationSpec:
    kw: dict[str, Any] = {"column": clause.column, "row_condition": condition, "condition_parser": "great_expectations"}
    if mostly < 1:
        kw["mostly"] = mostly
    if clause.op == "is not null":
        return ExpectationSpec("expect_column_values_to_not_be_null", kw, label)
    if clause.op == "is null":
        return ExpectationSpec("expect_column_values_to_be_null", kw, label)
    if clause.op == "is empty":
        return ExpectationSpec("expect_column_values_to_not_match_regex", {**kw, "regex": NON_BLANK}, label)
    if clause.op in ("in", "=="):
        values = list(clause.value) if clause.op == "in" else [clause.value]
        return ExpectationSpec("expect_column_values_to_be_in_set", {**kw, "value_set": values}, label)
    if clause.op in ("not in", "!="):
        values = list(clause.value) if clause.op == "not in" else [clause.value]
        return ExpectationSpec("expect_column_values_to_not_be_in_set", {**kw, "value_set": values}, label)
    bounds = {
        "<": ("max_value", True),
        "<=": ("max_value", False),
        ">": ("min_value", True),
        ">=": ("min_value", False),
    }
    key, strict = bounds[clause.op]
    strict_key = "strict_max" if key == "max_value" else "strict_min"
    return ExpectationSpec("expect_column_values_to_be_between", {**kw, key: clause.value, strict_key: strict}, label)


def compile_contract(contract: Contract) -> list[ExpectationSpec]:
    specs: list[ExpectationSpec] = []
    for name, field_spec in contract.fields.items():
        specs.extend(_field_expectations(name, field_spec))
    for i, (rule, mostly) in enumerate(zip(contract.rules, contract.rule_mostly, strict=True)):
        condition = to_gx_row_condition(rule.when)
        for clause in rule.then:
            if clause.op == "is not empty":  # present, and not blank
                specs.append(_then_expectation(Clause(clause.column, "is not null"), condition, mostly, f"rules.{i}"))
                specs.append(
                    ExpectationSpec(
                        "expect_column_values_to_match_regex", {**specs[-1].kwargs, "regex": NON_BLANK}, f"rules.{i}"
                    )
                )
            else:
                specs.append(_then_expectation(clause, condition, mostly, f"rules.{i}"))
    for i, raw in enumerate(contract.expectations):
        line = contract.expectation_lines[i] if i < len(contract.expectation_lines) else None
        where = f"{contract.source}{f' line {line}' if line else ''}"
        try:
            expectation_class(raw["type"])  # fail on an unknown name before any data is read
        except ContractError as exc:
            raise ContractError(f"{where} (expectations[{i}].type): {exc}") from None
        kwargs = dict(raw.get("kwargs") or {})
        check_raw_kwargs(raw["type"], kwargs, f"{where} (expectations[{i}].kwargs")
        specs.append(ExpectationSpec(raw["type"], kwargs, f"expectations.{i}", dict(raw.get("meta") or {})))
    for spec in specs:  # our own patterns too: every contract regex must run in RE2
        problem = pattern_problem(spec.type, spec.kwargs)
        if problem is not None:
            raise ContractError(f"{contract.source} ({spec.clause}.{problem[0]}): {problem[1]}")
    build_each_as_gx_will(contract, specs)
    return specs


__all__ = ["ExpectationSpec", "build_expectation", "compile_contract", "expectation_class"]  # importers name them here
