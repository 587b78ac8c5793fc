"""How a number is printed in a finding, a summary or a report: one way for every check and page.

A reader takes "p 0" for a bug or for certainty, and "1.941e+04" rows for a measurement: a p-value
too small for a float prints as "< 1e-300", and a count prints as an integer with thousands
separators. Standard library only: check words and the report both import this.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from numbers import Integral, Real
from typing import Any

# Below this a float has lost the p-value (subnormals, then 0.0): say it is smaller, never "0".
SMALLEST_P = 1e-300
SMALLEST_P_WORDS = "< 1e-300"
MISSING = "–"
# Whole-number floats up to here print as integers (2**53 is the last one a float holds exactly).
LARGEST_WHOLE = 2.0**53


def p_value(p: Any) -> str:
    """A p-value with two significant digits ("0.032", "4.4e-166"), "< 1e-300" below the float
    range, "–" when there is none."""
    if p is None or isinstance(p, bool) or not isinstance(p, Real) or not math.isfinite(float(p)):
        return MISSING
    p = float(p)
    if p < SMALLEST_P:
        return SMALLEST_P_WORDS
    return f"{p:.2g}"


def count(n: Any) -> str:
    """A count: "19,410"; a weighted (fractional) count keeps one decimal: "1,234.5"."""
    if n is None or isinstance(n, bool) or not isinstance(n, Real):
        return MISSING if n is None else str(n)
    if isinstance(n, Integral):
        return f"{int(n):,}"
    value = float(n)
    if not math.isfinite(value):
        return MISSING
    if value.is_integer() and abs(value) < LARGEST_WHOLE:
        return f"{int(value):,}"
    return f"{value:,.1f}"


def number(value: Any) -> str:
    """Any value in a table cell: integers and whole floats with separators ("60,000", never
    "6e+04"), four significant digits below 1,000, one decimal from 1,000 on, scientific only for
    magnitudes below 0.001 or at or above 2**53."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return str(value).lower()
    if not isinstance(value, Real):
        return str(value)
    if isinstance(value, Integral):
        return f"{int(value):,}"
    as_float = float(value)
    if not math.isfinite(as_float):
        return MISSING
    magnitude = abs(as_float)
    if magnitude >= LARGEST_WHOLE or (magnitude != 0 and magnitude < 1e-3):
        return f"{as_float:.3g}"
    if as_float.is_integer():
        return f"{int(as_float):,}"
    if magnitude >= 1000:
        return f"{as_float:,.1f}"
    return f"{as_float:.4g}"


def names_a_p_value(name: str) -> bool:
    """A metric or column holding a p-value: "p", "p_holm", "srm_p", "chi2_p_holm[region]",
    "mcnemar_p_holm.harmful" (a "p" word in the name before any "[key]"); "p99" is a percentile."""
    return "p" in re.split(r"[_.]", name.split("[", 1)[0].lower())


def signed(value: float, spec: str = ".2f") -> str:
    """A change with its sign ("+0.19", "-0.25"); one that rounds to zero has none ("0.00", never
    "-0.00", which reads as a fall)."""
    text = format(value, "+" + spec)
    return format(0.0, spec) if float(text) == 0 else text


def points(fraction: float, signed_change: bool = True) -> str:
    """A change in a rate, in percentage points ("+20.4 points"): "+20.4%" could be read as a
    relative change, and a rate of 2.5% rising to 22.9% did not rise by 20.4 percent."""
    return f"{signed(fraction * 100, '.1f') if signed_change else format(fraction * 100, '.1f')} points"


def tally(counts: Mapping[Any, Any]) -> str:
    """{"email": 43, "phone": 1200} as "email 43, phone 1,200", not a Python dict."""
    return ", ".join(f"{name} {count(value)}" for name, value in counts.items())


def listing(names: Iterable[Any]) -> str:
    """["production", "staging"] as "production, staging", not a Python list."""
    return ", ".join(str(name) for name in names)


def points_interval(low: float, high: float) -> str:
    """An interval of a change in a rate: "+9.0 to +19.0 points"."""
    return f"{signed(low * 100, '.1f')} to {points(high)}"
