"""Load a contract file: UTF-8 YAML (safe loader only), validated against the JSON Schema we ship.

Every error names the file, the line and the field, so a contract author can fix it without
reading our code: `contract.yaml line 12 (fields.severity.enum): [] should be non-empty`.
A contract must not hang or balloon the worker: YAML anchors and aliases are refused before
anything is expanded (460 bytes of nested aliases otherwise make ~10^9 list items), files are
capped in size and nesting (64 levels, before anything recurses), regexes must run in RE2, and
messages echo at most a few hundred characters. Every number must be finite: a NaN bound never fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airflow_evalguard.contracts.conditions import Rule, parse_condition, parse_rule
from airflow_evalguard.contracts.messages import MESSAGE_LIMIT, shorten
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.local_reader import LocalReader, NoSuchInput
from airflow_evalguard.uri import is_s3

if TYPE_CHECKING:
    from airflow_evalguard.core.sources import InputReader

SCHEMA_FILE = "contract.v1.json"
MAX_CONTRACT_BYTES = 1024 * 1024  # contracts are hand-written; ours are a few KB
# Ours are 4 deep, GX suites with nested conditions or JSON Schemas perhaps 20. The YAML composer,
# jsonschema and GX all recurse once or more per level: 3,000 brackets (6 KB) exhaust Python's stack.
MAX_NESTING = 64


class ContractError(EvalGuardInputError):
    """A contract file that cannot be used (bad YAML, schema violation, bad condition)."""

    def __init__(self, message: str, **kwargs):
        super().__init__(shorten(message, MESSAGE_LIMIT), **kwargs)


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


def _line_of(node, path: list) -> int | None:
    """1-based line of the YAML node at `path` (keys and indices), or its nearest ancestor."""
    import yaml

    line = node.start_mark.line + 1
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(step)), None)
            if match is None:
                key = next((k for k, _ in node.value if k.value == str(step)), None)
                return key.start_mark.line + 1 if key is not None else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _dotted(path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top level)"


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContractError(f"{origin} line {line}: not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start})") from None


def _yaml_document(text: str, origin: str):
    """(node, data): the YAML node tree (for line numbers) and the safe-loaded data, built once."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """SafeLoader that stops at the first anchor or alias, before anything is expanded."""

        nesting = 0  # collections open around the node being composed

        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                line = event.start_mark.line + 1
                raise ContractError(f"{origin} line {line}: YAML anchors and aliases (&name, *name) are not "
                                    f"allowed in a contract; write the value out")
            if not isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                return super().compose_node(parent, index)
            # Counted before composing the collection, so the composer's recursion (and every later
            # walk over the data) never goes deeper than MAX_NESTING levels.
            if self.nesting >= MAX_NESTING:
                raise ContractError(f"{origin} line {event.start_mark.line + 1}: nested deeper than "
                                    f"{MAX_NESTING} levels")
            self.nesting += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.nesting -= 1

        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep=deep)
            # A scalar YAML reads but Python cannot build: 2026-13-45, `!!timestamp abc`, 5000 digits.
            except (ValueError, OverflowError, TypeError, AttributeError, KeyError, IndexError) as exc:
                raise ContractError(f"{origin} line {node.start_mark.line + 1}: not valid YAML: "
                                    f"{shorten(exc, 200)}") from None

    loader = None
    try:
        # A SafeLoader, never yaml.load: a contract may come from anywhere. Built inside the try:
        # the reader refuses control characters (a bell, U+FFFE, NUL) as soon as it is made.
        loader = NoAliasLoader(text)
        node = loader.get_single_node()
        if node is None:
            return None, None
        _refuse_non_finite_numbers(node, loader, origin)
        return node, loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise ContractError(f"{origin}{_yaml_error_place(exc, text)}: not valid YAML: "
                            f"{shorten(_yaml_problem(exc), 200)}") from None
    finally:
        if loader is not None:
            loader.dispose()


_YAML_FLOAT = "tag:yaml.org,2002:float"
_YAML_INT = "tag:yaml.org,2002:int"


def _refuse_non_finite_numbers(root, loader, origin: str) -> None:
    """Every number in the contract, wherever it is (fields, behaviour, GX kwargs, nested row
    conditions), must be finite: NaN compares false with everything, so a bound, a share or a
    `mostly` of NaN never fails, and infinity makes a bound no bound. One walk over the YAML nodes
    (explicit stack; nesting is already limited), so every field is covered and has its line."""
    import math
    import sys

    import yaml

    def non_finite(node) -> bool:
        if node.tag == _YAML_FLOAT:
            try:
                return not math.isfinite(loader.construct_yaml_float(node))
            except ValueError:  # `!!float abc`: construction reports it, with its line
                return False
        if node.tag == _YAML_INT:  # an integer past float range would overflow every comparison
            try:
                return abs(loader.construct_yaml_int(node)) > sys.float_info.max
            except ValueError:  # `!!int 12ab`, or more digits than Python converts: construction reports it
                return False
        # Unquoted NaN, Infinity, -Infinity: how JSON writers (Python's json) spell non-finite floats.
        # YAML reads them as text, but GX's pydantic models turn them back into floats.
        if node.style is None and len(node.value) <= 40:
            try:
                return not math.isfinite(float(node.value))
            except ValueError:
                return False
        return False  # quoted text that spells 'nan' is text

    pending = [(root, [])]
    while pending:
        node, path = pending.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                step = key.value if isinstance(key, yaml.ScalarNode) else "?"
                pending += [(key, path), (value, path + [step])]
        elif isinstance(node, yaml.SequenceNode):
            pending += [(item, path + [i]) for i, item in enumerate(node.value)]
        elif isinstance(node, yaml.ScalarNode) and non_finite(node):
            raise ContractError(f"{origin} line {node.start_mark.line + 1} ({shorten(_dotted(path), 200)}): "
                                f"{shorten(node.value, 40)} is not a finite number; every number in a contract "
                                f"must be (NaN compares false with everything, so a check on it never fails)")


def _yaml_error_place(exc, text: str) -> str:
    import yaml

    if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.position, int):
        return f" line {text.count(chr(10), 0, exc.position) + 1}"
    mark = getattr(exc, "problem_mark", None)
    return f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def _yaml_problem(exc) -> str:
    import yaml

    if isinstance(exc, yaml.reader.ReaderError):
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        return f"unacceptable character {code:#06x} ({exc.reason})"
    return str(getattr(exc, "problem", None) or exc)


def parse_contract_text(text: str, origin: str = "contract") -> Contract:
    import hashlib

    import jsonschema

    node, data = _yaml_document(text, origin)
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
        line = _line_of(node, path)
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise ContractError(f"{origin} line {line} ({shorten(_dotted(path))}): {shorten(err.message)}{more}")

    contract = Contract(name=data["name"], version=data["version"], description=data.get("description", ""),
                        fields=data.get("fields") or {}, expectations=data.get("expectations") or [],
                        behaviour=data.get("behaviour") or {}, source=origin, raw=data,
                        sha256=hashlib.sha256(text.encode()).hexdigest())
    contract.expectation_lines = [_line_of(node, ["expectations", i]) for i in range(len(contract.expectations))]
    for i, item in enumerate(data.get("rules") or []):
        text_rule = item if isinstance(item, str) else item["rule"]
        try:
            contract.rules.append(parse_rule(text_rule))
        except EvalGuardInputError as exc:
            raise ContractError(f"{origin} line {_line_of(node, ['rules', i])} (rules[{i}]): {shorten(exc)}") from None
        contract.rule_mostly.append(1.0 if isinstance(item, str) else float(item.get("mostly", 1.0)))
    for key, sub in (("escalation_rate", "escalated_when"), ("human_handled", "applies_when")):
        clause = contract.behaviour.get(key, {}).get(sub)
        if clause is not None:
            try:
                parse_condition(clause)
            except EvalGuardInputError as exc:
                where = _line_of(node, ["behaviour", key, sub])
                raise ContractError(f"{origin} line {where} (behaviour.{key}.{sub}): {shorten(exc)}") from None
    _check_field_bounds(contract, node, origin)
    return contract


def _is_gx_suite(data: dict) -> bool:
    """A Great Expectations suite JSON (`ExpectationSuite.to_json_dict()`), not our contract."""
    return isinstance(data.get("expectations"), list) and "version" not in data and "fields" not in data


def _from_gx_suite(data: dict, node, origin: str, sha256: str) -> Contract:
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise ContractError(f"{origin} line {_line_of(node, ['name'])} (name): a GX suite needs a name")
    version = (data.get("meta") or {}).get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 1):
        raise ContractError(f"{origin} line {_line_of(node, ['meta', 'version'])} (meta.version): must be an integer >= 1")
    expectations = []
    for i, item in enumerate(data["expectations"]):
        if not isinstance(item, dict) or not isinstance(item.get("type"), str) or not isinstance(item.get("kwargs", {}), dict):
            raise ContractError(f"{origin} line {_line_of(node, ['expectations', i])} (expectations[{i}]): "
                                "an expectation is a mapping with 'type' and 'kwargs'")
        meta = {k: v for k, v in (item.get("meta") or {}).items() if k not in ("clause", "index")}
        expectations.append({"type": item["type"], "kwargs": item.get("kwargs") or {}, "meta": meta})
    return Contract(name=name, version=version, expectations=expectations, source=origin, sha256=sha256, raw=data,
                    description=str((data.get("meta") or {}).get("description", "")),
                    expectation_lines=[_line_of(node, ["expectations", i]) for i in range(len(expectations))])


def _check_field_bounds(contract: Contract, node, origin: str) -> None:
    from airflow_evalguard.contracts.regex import re2_error

    for name, spec in contract.fields.items():
        for lo, hi in (("min", "max"), ("min_length", "max_length")):
            if lo in spec and hi in spec and spec[lo] > spec[hi]:
                raise ContractError(f"{origin} line {_line_of(node, ['fields', name, lo])} (fields.{shorten(name)}): "
                                    f"{lo}={spec[lo]} is above {hi}={spec[hi]}")
        if "regex" in spec:
            problem = re2_error(spec["regex"])
            if problem is not None:
                raise ContractError(f"{origin} line {_line_of(node, ['fields', name, 'regex'])} "
                                    f"(fields.{shorten(name)}.regex): {problem}")
    band = contract.behaviour.get("escalation_rate", {})
    if band.get("warn_at", 0) > band.get("fail_at", 1):
        raise ContractError(f"{origin} line {_line_of(node, ['behaviour', 'escalation_rate'])} "
                            "(behaviour.escalation_rate): warn_at is above fail_at")


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
    return parse_contract_text(_decode(data, origin), origin=Path(origin).name if not is_s3(origin) else origin)
