"""Reading params: the CLI's --params-file (JSON or YAML) and --param values, strictly.

A params file is a few lines a person wrote, so anything surprising in it is refused (exit 2)
rather than guessed at: more than 64 KiB, nesting deeper than 64, YAML anchors/aliases and merge
keys, duplicate keys (JSON and YAML would silently keep the last one), integers too long for
Python to parse. YAML 1.1 sexagesimal numbers (`190:20:30` -> 685230) are read as the strings they
were almost always meant to be (a time), so a numeric param refuses them by name. Hex and octal
(`0x1F`, `017`) keep their YAML 1.1 meaning: they are deliberate notation, not typos.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import ConstructorError

from airflow_evalguard.exceptions import EvalGuardInputError

PARAMS_FILE_MAX_BYTES = 64 << 10  # a params file is a few lines; anything bigger is a mistake or an attack
MAX_NESTING = 64


class TooLargeInt:
    """Stands in for an integer literal longer than Python will parse (sys.get_int_max_str_digits())
    so the error can name the param holding it instead of failing inside the parser."""

    def __repr__(self) -> str:
        return f"<an integer of more than {sys.get_int_max_str_digits()} digits>"


def parse_int(text: str) -> int | TooLargeInt:
    try:
        return int(text)
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        return TooLargeInt()


def values_in(value: Any) -> Iterator[Any]:
    """`value` and everything nested in its lists/dicts (keys too), each container once, with a
    stack: no recursion limit, no blow-up on shared sub-lists."""
    pending, seen = [value], set()
    while pending:
        item = pending.pop()
        yield item
        if isinstance(item, (dict, list, tuple)) and id(item) not in seen:
            seen.add(id(item))
            pending.extend([*item.keys(), *item.values()] if isinstance(item, dict) else item)


def refuse_too_large_ints(params: dict[str, Any], where: str) -> None:
    for name, value in params.items():
        if any(isinstance(item, TooLargeInt) for item in values_in(value)):
            raise EvalGuardInputError(
                f"{where}: param '{name}' holds an integer too large to read "
                f"(more than {sys.get_int_max_str_digits()} digits)"
            )


def _refuse_duplicate_json_keys(pairs: list[tuple[str, Any]]) -> dict:
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise DuplicateKeyError(key)
        seen.add(key)
    return dict(pairs)


class DuplicateKeyError(Exception):
    """A JSON object with the same key twice (json.loads would keep the last one silently)."""


def parse_json(text: str) -> Any:
    """json.loads, but duplicate keys are refused and over-long integers become TooLargeInt."""
    return json.loads(text, parse_int=parse_int, object_pairs_hook=_refuse_duplicate_json_keys)


def load_params_file(path: str) -> dict:
    file = Path(path)
    if not file.is_file():
        raise EvalGuardInputError(f"--params-file: no such file: {path}")
    if file.stat().st_size > PARAMS_FILE_MAX_BYTES:
        raise EvalGuardInputError(f"--params-file {path}: larger than {PARAMS_FILE_MAX_BYTES:,} bytes")
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvalGuardInputError(
            f"--params-file {path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        data = _parse_yaml(path, text) if file.suffix in (".yaml", ".yml") else parse_json(text)
    except json.JSONDecodeError as exc:
        raise EvalGuardInputError(
            f"--params-file {path}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except DuplicateKeyError as exc:
        raise EvalGuardInputError(f"--params-file {path}: duplicate key {exc.args[0]!r}") from None
    except RecursionError:
        raise EvalGuardInputError(f"--params-file {path}: nested too deeply") from None
    if not isinstance(data, dict):
        raise EvalGuardInputError(f"--params-file {path}: expected a mapping of param -> value")
    refuse_too_large_ints(data, f"--params-file {path}")
    return data


def _parse_yaml(path: str, text: str) -> Any:

    try:
        _refuse_deep_nesting_and_aliases(path, text)
        loader = _strict_loader()(text)  # a SafeLoader subclass: params files may come from anywhere
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1} column {where.column + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        if "nesting depth" in problem:  # libyaml's own limit, met while it looks ahead for a flow key
            raise EvalGuardInputError(f"--params-file {path}: nested too deeply{at}") from None
        raise EvalGuardInputError(f"--params-file {path}: not valid YAML ({problem}{at})") from None


if TYPE_CHECKING:  # CSafeLoader has SafeLoader's interface; the type checker cannot see a base chosen at run time
    _FastLoader = yaml.SafeLoader
else:
    _FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


def _fast_loader() -> type[yaml.SafeLoader]:
    return _FastLoader


def _refuse_deep_nesting_and_aliases(path: str, text: str) -> None:
    """Scan the event stream before building anything, stopping at the first problem. The
    pure-Python parser is quadratic in nesting depth (40,000 brackets took 87 s); libyaml and an
    early stop keep any file under the size cap well below a second. Aliases let a few lines
    stand for an exponentially large value ("billion laughs"); a params file never needs them."""

    depth = 0
    for event in yaml.parse(text, Loader=_fast_loader()):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise EvalGuardInputError(f"--params-file {path}: YAML anchors and aliases (*name) are not supported")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_NESTING:
                line = event.start_mark.line + 1 if event.start_mark is not None else "?"  # parser events carry one
                raise EvalGuardInputError(
                    f"--params-file {path}: nested too deeply (more than {MAX_NESTING} levels, line {line})"
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


@functools.cache
def _strict_loader() -> type[yaml.SafeLoader]:
    """A safe loader (libyaml-backed when available) that refuses duplicate and merge keys, reads
    sexagesimal numbers as strings and over-long integers as TooLargeInt."""

    class StrictLoader(_FastLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise ConstructorError(None, None, "merge keys (<<) are not supported", key_node.start_mark)
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:  # unhashable: the base class says so
                    break
                if duplicate:
                    raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

        # Any, not int: an int node may come back as the string it was written as, or TooLargeInt
        def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
            if ":" in node.value:  # YAML 1.1 sexagesimal (190:20:30): almost always a time
                return self.construct_scalar(node)
            try:
                return super().construct_yaml_int(node)
            except ValueError:
                return TooLargeInt()

        def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:  # float, or the string written
            if ":" in node.value:
                return self.construct_scalar(node)
            return super().construct_yaml_float(node)

    StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)
    StrictLoader.add_constructor("tag:yaml.org,2002:float", StrictLoader.construct_yaml_float)
    return StrictLoader
