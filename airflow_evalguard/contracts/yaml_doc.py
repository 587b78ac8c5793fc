"""A contract's YAML text as nodes (for line numbers) and data, read safely.

No anchors or aliases (460 bytes of nested aliases otherwise make ~10^9 list items), nesting
capped while composing, every number finite, every YAML error a ContractError with its line.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import yaml

from airflow_evalguard.contracts.messages import ContractError, shorten

# Ours are 4 deep, GX suites with nested conditions or JSON Schemas perhaps 20. The YAML composer,
# jsonschema and GX all recurse once or more per level: 3,000 brackets (6 KB) exhaust Python's stack.
MAX_NESTING = 64


def line_of(node, path: list) -> int | None:
    """1-based line of the YAML node at `path` (keys and indices), or its nearest ancestor."""
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


def dotted(path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top level)"


def decode_utf8(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContractError(
            f"{origin} line {line}: not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start})"
        ) from None


def yaml_document(text: str, origin: str):
    """(node, data): the YAML node tree (for line numbers) and the safe-loaded data, built once."""

    class NoAliasLoader(yaml.SafeLoader):
        """SafeLoader that stops at the first anchor or alias, before anything is expanded."""

        nesting = 0  # collections open around the node being composed

        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                line = event.start_mark.line + 1
                raise ContractError(
                    f"{origin} line {line}: YAML anchors and aliases (&name, *name) are not "
                    f"allowed in a contract; write the value out"
                )
            if not isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                return super().compose_node(parent, index)
            # Counted before composing the collection, so the composer's recursion (and every later
            # walk over the data) never goes deeper than MAX_NESTING levels.
            if self.nesting >= MAX_NESTING:
                raise ContractError(
                    f"{origin} line {event.start_mark.line + 1}: nested deeper than {MAX_NESTING} levels"  # type: ignore[union-attr]
                )
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
                raise ContractError(
                    f"{origin} line {node.start_mark.line + 1}: not valid YAML: {shorten(exc, 200)}"
                ) from None

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
        raise ContractError(
            f"{origin}{_yaml_error_place(exc, text)}: not valid YAML: {shorten(_yaml_problem(exc), 200)}"
        ) from None
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

    pending: list[tuple[Any, list[Any]]] = [(root, [])]
    while pending:
        node, path = pending.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                step = key.value if isinstance(key, yaml.ScalarNode) else "?"
                pending += [(key, path), (value, path + [step])]
        elif isinstance(node, yaml.SequenceNode):
            pending += [(item, path + [i]) for i, item in enumerate(node.value)]
        elif isinstance(node, yaml.ScalarNode) and non_finite(node):
            raise ContractError(
                f"{origin} line {node.start_mark.line + 1} ({shorten(dotted(path), 200)}): "
                f"{shorten(node.value, 40)} is not a finite number; every number in a contract "
                f"must be (NaN compares false with everything, so a check on it never fails)"
            )


def _yaml_error_place(exc, text: str) -> str:
    if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.position, int):
        return f" line {text.count(chr(10), 0, exc.position) + 1}"
    mark = getattr(exc, "problem_mark", None)
    return f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def _yaml_problem(exc) -> str:
    if isinstance(exc, yaml.reader.ReaderError):
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        return f"unacceptable character {code:#06x} ({exc.reason})"
    return str(getattr(exc, "problem", None) or exc)
