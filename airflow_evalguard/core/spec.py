"""How a check declares its inputs and parameters, and how given parameters are validated.

Light on purpose: no pandas, numpy or scipy. Operators import a check's spec when a DAG file is
parsed to refuse a bad literal parameter there, not in a worker an hour later.
"""

from __future__ import annotations

import importlib
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError

_TYPE_NAMES = {bool: "bool", int: "int", float: "number", str: "string", list: "list", dict: "object"}


def _first_non_finite(value: Any) -> Any:
    """The first NaN or infinity in `value` or nested in its lists/dicts, else None.

    NaN compares False with every threshold (`x < nan`, `x > nan`), so a NaN alpha or fail_at
    silently turns a gate's verdict; an infinite threshold disables it. Anything a check may
    later turn into a float counts: numpy scalars and 0-d arrays, Decimal('NaN'), and text such
    as "nan" or "1e999" in a list item or mapping value (checks read `{"A": "0.5"}` shares with
    `float()`); mapping keys are names (an arm may be called "inf") and only count as numbers.
    Walked with a stack, each container once: a deeply nested or self-sharing value cannot
    exhaust the recursion limit or take exponential time.
    """
    pending, seen = [(value, False)], set()
    while pending:
        item, is_key = pending.pop()
        if isinstance(item, (dict, list, tuple)):
            if id(item) not in seen:
                seen.add(id(item))
                if isinstance(item, dict):
                    pending.extend([(key, True) for key in item] + [(val, False) for val in item.values()])
                else:
                    pending.extend((entry, False) for entry in item)
        else:
            number = _as_float(item, text=not is_key)
            if number is not None and not math.isfinite(number):
                return item
    return None


def _as_float(item: Any, *, text: bool) -> float | None:
    """`item` as a float where a check could read it as one, else None."""
    if isinstance(item, (bool, numbers.Integral)):
        return None  # whole numbers are finite (their size is the range check's business)
    if isinstance(item, str):
        if not text or len(item) > 64:
            return None
        try:
            return float(item)
        except ValueError:
            return None
    if isinstance(item, bytes) or not hasattr(item, "__float__"):
        return None
    try:
        return float(item)
    except (TypeError, ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class InputSpec:
    help: str
    required: bool = True


@dataclass(frozen=True)
class ParamSpec:
    default: Any
    type: type
    help: str
    choices: tuple[Any, ...] | None = None
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    column: bool = False  # the value names a column (or columns) of the inputs: named in missing-column errors

    def validate(self, name: str, value: Any) -> Any:
        non_finite = _first_non_finite(value)
        if non_finite is not None:
            raise EvalGuardInputError(f"param '{name}' must be finite (no NaN or infinity), got {non_finite!r}")
        if value is None:
            if self.nullable:
                return None
            raise EvalGuardInputError(f"param '{name}' may not be null")
        expected = self.type
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            try:
                value = float(value)
            except OverflowError:  # an int beyond ~1.8e308 (JSON/YAML have no size limit): a usage error, not exit 4
                raise EvalGuardInputError(
                    f"param '{name}' must be a finite number, got an integer too large for "
                    f"one ({value.bit_length()} bits)"
                ) from None
        if expected is list and isinstance(value, tuple):
            value = list(value)
        if expected is list and isinstance(value, str):
            value = [value]  # a single dimension given as a bare string
        ok = isinstance(value, expected) and not (expected in (int, float) and isinstance(value, bool))
        if not ok:
            raise EvalGuardInputError(
                f"param '{name}' must be a {_TYPE_NAMES.get(expected, expected.__name__)}, got {value!r}"
            )
        if self.choices is not None and value not in self.choices:
            raise EvalGuardInputError(f"param '{name}' must be one of {list(self.choices)}, got {value!r}")
        if self.minimum is not None and value < self.minimum:
            raise EvalGuardInputError(f"param '{name}' must be >= {self.minimum}, got {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise EvalGuardInputError(f"param '{name}' must be <= {self.maximum}, got {value!r}")
        return value

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "default": self.default,
            "type": _TYPE_NAMES.get(self.type, self.type.__name__),
            "help": self.help,
        }
        if self.choices:
            out["choices"] = list(self.choices)
        for bound in ("minimum", "maximum"):
            if getattr(self, bound) is not None:
                out[bound] = getattr(self, bound)
        if self.nullable:
            out["nullable"] = True
        return out


@dataclass(frozen=True)
class CheckSpec:
    """A check: its name, what it reads, what it takes, and where the function that decides lives.

    `decide` is "package.module:function", imported on first run so the spec stays light.
    `headline` names the metrics a summary shows first; `plots` is "package.module:function"
    returning the check's own SVG plots for the report (None: the report's generic plots only).
    """

    name: str
    summary: str
    inputs: dict[str, InputSpec]
    params: dict[str, ParamSpec]
    decide: str
    headline: tuple[str, ...] = ()
    plots: str | None = None

    def decider(self) -> Callable[..., Any]:
        return _load(self.decide)

    def plotter(self) -> Callable[..., Any] | None:
        return _load(self.plots) if self.plots else None

    def __post_init__(self) -> None:
        # A check's own defaults go through the same rules as given values: a bad default is
        # refused when the check module is imported, not discovered in a verdict.
        for name, spec in self.params.items():
            spec.validate(name, spec.default)

    def resolve_params(self, given: dict[str, Any] | None) -> dict[str, Any]:
        given = dict(given or {})
        unknown = sorted(set(given) - set(self.params))
        if unknown:
            raise EvalGuardInputError(
                f"check '{self.name}': unknown param(s) {unknown}; it takes {sorted(self.params)}"
            )
        resolved = {}
        for name, spec in self.params.items():
            # Defaults are validated again here: nothing reaches a check unchecked.
            resolved[name] = spec.validate(name, given.get(name, spec.default))
        return resolved

    def column_params(self, resolved: dict[str, Any]) -> dict[str, str]:
        """column -> the parameter that names it, for the columns the resolved params name."""
        named: dict[str, str] = {}
        for name, spec in self.params.items():
            value = resolved.get(name)
            for column in value if isinstance(value, list) else [value]:
                if spec.column and isinstance(column, str):
                    named.setdefault(column, name)
        return named

    def check_inputs(self, given: dict[str, Any]) -> None:
        unknown = sorted(set(given) - set(self.inputs))
        if unknown:
            raise EvalGuardInputError(
                f"check '{self.name}': unknown input(s) {unknown}; it reads {sorted(self.inputs)}"
            )
        missing = sorted(n for n, s in self.inputs.items() if s.required and given.get(n) is None)
        if missing:
            raise EvalGuardInputError(f"check '{self.name}': missing required input(s) {missing}")

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "summary": self.summary,
            "inputs": {n: {"required": s.required, "help": s.help} for n, s in self.inputs.items()},
            "params": {n: s.describe() for n, s in self.params.items()},
        }


def _load(target: str) -> Callable[..., Any]:
    module, _, function = target.partition(":")
    loaded: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return loaded
