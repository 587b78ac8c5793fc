"""Contract regexes run in RE2, in time linear in the text, never in Python's backtracking `re`.

A pattern such as `^(a+)+$` doubles Python's work with every character of a model's output; in
RE2 it is linear. So a contract's patterns are compiled with RE2 when the contract is loaded
(what RE2 cannot run, such as backreferences and lookaround, is a contract error naming the
file, line and field), and Great Expectations' regex expectations, which would call pandas'
`str.contains` (Python `re`), are evaluated with pyarrow's RE2 instead (contracts.re2_rows):
each becomes an `expect_column_values_to_be_in_set` on a column of per-row outcomes, so
`mostly`, row conditions, null handling and unexpected rows stay GX's.
"""

from __future__ import annotations

from typing import Any

import re2

from airflow_evalguard.contracts.messages import short_repr, shorten

# A character Python's `\S` matches (checked for every code point): RE2's own `\s` is ASCII-only
# and misses \v, so with plain `\S` a value of only non-breaking or vertical-tab spaces would
# count as filled in. What `non_empty` and `is [not] empty` search for.
NON_BLANK = r"[^\t\n\v\f\r \x1c-\x1f\x85\p{Z}]"

# expectation type -> the argument holding its pattern(s)
REGEX_EXPECTATIONS = {
    "expect_column_values_to_match_regex": "regex",
    "expect_column_values_to_not_match_regex": "regex",
    "expect_column_values_to_match_regex_list": "regex_list",
    "expect_column_values_to_not_match_regex_list": "regex_list",
}


def re2_error(pattern: Any) -> str | None:
    """Why RE2 cannot run `pattern`, or None when it can."""
    if not isinstance(pattern, str):
        return f"a regular expression is text, not {type(pattern).__name__}"
    options = re2.Options()
    options.log_errors = False  # else RE2 writes each refusal to stderr itself
    try:
        re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        return (
            f"not a valid regular expression for RE2: {short_repr(pattern)} ({shorten(reason)}); contract "
            f"patterns run in linear time, so backreferences and lookaround are not available"
        )
    return None


def patterns_of(expectation_type: str, kwargs: dict) -> list:
    argument = REGEX_EXPECTATIONS[expectation_type]
    value = kwargs.get(argument)
    if argument == "regex_list":
        return list(value) if isinstance(value, (list, tuple)) and value else [value]
    return [value]


def pattern_problem(expectation_type: str, kwargs: dict) -> tuple[str, str] | None:
    """(argument, reason) for the first pattern of a regex expectation RE2 cannot run."""
    if expectation_type not in REGEX_EXPECTATIONS:
        return None
    argument = REGEX_EXPECTATIONS[expectation_type]
    for pattern in patterns_of(expectation_type, kwargs):
        reason = re2_error(pattern)
        if reason is not None:
            return argument, reason
    return None
