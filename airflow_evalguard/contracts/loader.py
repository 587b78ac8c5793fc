"""Load a contract file: UTF-8 YAML (safe loader only), validated against the JSON Schema we ship.

Every error names the file, the line and the field, so a contract author can fix it without
reading our code: `contract.yaml line 12 (fields.severity.enum): [] should be non-empty`.
A contract must not hang or balloon the worker: YAML anchors and aliases are refused before
anything is expanded (460 bytes of nested aliases otherwise make ~10^9 list items), files are
capped in size and nesting (64 levels, before anything recurses), regexes must run in RE2, and
messages echo at most a few hundred characters. Every number must be finite: a NaN bound never fails.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema

from airflow_evalguard.contracts.conditions import Rule, parse_condition, parse_rule
from airflow_evalguard.contracts.messages import ContractError, shorten
from airflow_evalguard.contracts.regex import re2_error
from airflow_evalguard.contracts.yaml_doc import MAX_NESTING, decode_utf8, dotted, line_of, yaml_document
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.local_reader import LocalReader, NoSuchInput
from airflow_evalguard.uri import is_s3

if TYPE_CHECKING:
    from airflow_evalguard.core.sources import InputReader

# Re-exported: importers name them from the loader.
__all__ = ["MAX_CONTRACT_BYTES", "MAX_NESTING", "Contract", "ContractError", "load_contract", "parse_contract_text"]

SCHEMA_FILE = "contract.v1.json"
MAX_CONTRACT_BYTES = 1024 * 1024  # contracts are hand-written; ours are a few KB


@dataclass
class Contract:
    name: str
    version: int | None  # None only for a plain GX suite without meta.version
    fields: dict[str, dict] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    rule_mostly: list[float] = field(default_factory=list)
    expectations: list[dict] = field(default_factory=list)
    behaviour: dict[str, dict] = field(default_factory=dict)
    expectation_lines: list[int | None] = field(default_factory=list)
    description: str = ""
    source: str = ""
    sha256: str = ""
    raw: dict = field(default_factory=dict, repr=False)


def contract_schema() -> dict:
    return json.loads(resources.files("airflow_evalguard").joinpath("schemas", SCHEMA_FILE).read_text())


def parse_contract_text(text: str, origin: str = "contract") -> Contract:
    node, data = yaml_document(text, origin)
    if not isinstance(data, dict):
        raise ContractError(f"{origin}: a contract is a mapping with at least 'name' and 'version'")
    if _is_gx_suite(data):
        return _from_gx_suite(data, node, origin, hashlib.sha256(text.encode()).hexdigest())
    validator = jsonschema.Draft202012Validator(contract_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if errors:
        # The deepest error is the most specific; report it with its line and field.
        err = max(errors, key=lambda e: len(e.absolute_path))
        path = list(err.absolute_path)
        line = line_of(node, path)
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise ContractError(f"{origin} line {line} ({shorten(dotted(path))}): {shorten(err.message)}{more}")

    contract = Contract(
        name=data["name"],
        version=data["version"],
        description=data.get("description", ""),
        fields=data.get("fields") or {},
        expectations=data.get("expectations") or [],
        behaviour=data.get("behaviour") or {},
        source=origin,
        raw=data,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    contract.expectation_lines = [line_of(node, ["expectations", i]) for i in range(len(contract.expectations))]
    for i, item in enumerate(data.get("rules") or []):
        text_rule = item if isinstance(item, str) else item["rule"]
        try:
            contract.rules.append(parse_rule(text_rule))
        except EvalGuardInputError as exc:
            raise ContractError(f"{origin} line {line_of(node, ['rules', i])} (rules[{i}]): {shorten(exc)}") from None
        contract.rule_mostly.append(1.0 if isinstance(item, str) else float(item.get("mostly", 1.0)))
    for key, sub in (("escalation_rate", "escalated_when"), ("human_handled", "applies_when")):
        clause = contract.behaviour.get(key, {}).get(sub)
        if clause is not None:
            try:
                parse_condition(clause)
            except EvalGuardInputError as exc:
                where = line_of(node, ["behaviour", key, sub])
                raise ContractError(f"{origin} line {where} (behaviour.{key}.{sub}): {shorten(exc)}") from None
    _check_field_bounds(contract, node, origin)
    return contract


def _is_gx_suite(data: dict) -> bool:
    """A Great Expectations suite JSON (`ExpectationSuite.to_json_dict()`), not our contract."""
    return isinstance(data.get("expectations"), list) and "version" not in data and "fields" not in data


def _from_gx_suite(data: dict, node, origin: str, sha256: str) -> Contract:
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise ContractError(f"{origin} line {line_of(node, ['name'])} (name): a GX suite needs a name")
    version = (data.get("meta") or {}).get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 1):
        raise ContractError(
            f"{origin} line {line_of(node, ['meta', 'version'])} (meta.version): must be an integer >= 1"
        )
    expectations = []
    for i, item in enumerate(data["expectations"]):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("type"), str)
            or not isinstance(item.get("kwargs", {}), dict)
        ):
            raise ContractError(
                f"{origin} line {line_of(node, ['expectations', i])} (expectations[{i}]): "
                "an expectation is a mapping with 'type' and 'kwargs'"
            )
        meta = {k: v for k, v in (item.get("meta") or {}).items() if k not in ("clause", "index")}
        expectations.append({"type": item["type"], "kwargs": item.get("kwargs") or {}, "meta": meta})
    return Contract(
        name=name,
        version=version,
        expectations=expectations,
        source=origin,
        sha256=sha256,
        raw=data,
        description=str((data.get("meta") or {}).get("description", "")),
        expectation_lines=[line_of(node, ["expectations", i]) for i in range(len(expectations))],
    )


def _check_field_bounds(contract: Contract, node, origin: str) -> None:
    for name, spec in contract.fields.items():
        for lo, hi in (("min", "max"), ("min_length", "max_length")):
            if lo in spec and hi in spec and spec[lo] > spec[hi]:
                raise ContractError(
                    f"{origin} line {line_of(node, ['fields', name, lo])} (fields.{shorten(name)}): "
                    f"{lo}={spec[lo]} is above {hi}={spec[hi]}"
                )
        if "regex" in spec:
            problem = re2_error(spec["regex"])
            if problem is not None:
                raise ContractError(
                    f"{origin} line {line_of(node, ['fields', name, 'regex'])} "
                    f"(fields.{shorten(name)}.regex): {problem}"
                )
    band = contract.behaviour.get("escalation_rate", {})
    if band.get("warn_at", 0) > band.get("fail_at", 1):
        raise ContractError(
            f"{origin} line {line_of(node, ['behaviour', 'escalation_rate'])} "
            "(behaviour.escalation_rate): warn_at is above fail_at"
        )


def _check_size(size: int, origin: str) -> None:
    if size > MAX_CONTRACT_BYTES:
        raise ContractError(f"{shorten(origin)}: {size} bytes; a contract is at most {MAX_CONTRACT_BYTES} bytes")


def load_contract(path: str | Path, *, reader: InputReader | None = None) -> Contract:
    """Read a contract from a local path or s3:// URI through `reader` (the shell's: an
    S3HookReader in a worker or the CLI; None reads local files only)."""
    origin = str(path)
    reader = reader if reader is not None else LocalReader()
    if is_s3(origin):
        try:
            data = reader.read_bytes(origin, input_name="contract")
        except NoSuchInput:
            raise ContractError(f"contract: no such S3 object: {origin}") from None
    else:
        file = Path(origin)
        if not file.is_file():
            raise ContractError(f"contract: no such file: {shorten(origin)}")
        _check_size(file.stat().st_size, origin)  # before reading: a huge file is refused unread
        data = reader.read_bytes(origin, input_name="contract")
    _check_size(len(data), origin)
    return parse_contract_text(decode_utf8(data, origin), origin=Path(origin).name if not is_s3(origin) else origin)
