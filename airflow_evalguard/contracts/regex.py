"""Contract regexes run in RE2, in time linear in the text, never in Python's backtracking `re`.

A pattern such as `^(a+)+$` doubles Python's work with every character of a model's output; in
RE2 it is linear. So a contract's patterns are compiled with RE2 when the contract is loaded
(what RE2 cannot run, such as backreferences and lookaround, is a contract error naming the
file, line and field), and Great Expectations' regex expectations, which would call pandas'
`str.contains` (Python `re`), are evaluated here with pyarrow's RE2 instead: each becomes an
`expect_column_values_to_be_in_set` on a column of per-row outcomes, so `mostly`, row
conditions, null handling and unexpected rows stay GX's.
"""

from __future__ import annotations

from typing import Any

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
    import re2

    options = re2.Options()
    options.log_errors = False  # else RE2 writes each refusal to stderr itself
    try:
        re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        return (f"not a valid regular expression for RE2: {short_repr(pattern)} ({shorten(reason)}); contract "
                f"patterns run in linear time, so backreferences and lookaround are not available")
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


def row_outcomes(column, expectation_type: str, kwargs: dict):
    """Per row: True if the value meets the expectation, False if not, None for a null (GX skips those)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    present = column.notna().to_numpy()
    text = pa.array([str(value) for value in column[present]], type=pa.large_string())
    matches = [np.asarray(pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False), dtype=bool)
               for pattern in patterns_of(expectation_type, kwargs)]
    if expectation_type == "expect_column_values_to_match_regex_list" and kwargs.get("match_on", "any") == "all":
        passed = np.logical_and.reduce(matches)
    else:
        passed = np.logical_or.reduce(matches)
    if expectation_type.startswith("expect_column_values_to_not_"):
        passed = ~passed
    out = np.full(len(column), None, dtype=object)
    out[present] = passed
    return out


def evaluated_in_re2(frame, specs):
    """`frame` with one outcome column per regex expectation, and `specs` with each regex
    expectation replaced by an in-set check on its column (same clause, mostly, row condition)."""
    from airflow_evalguard.contracts.compile import ExpectationSpec

    out_specs, added = [], {}
    for index, spec in enumerate(specs):
        column = spec.kwargs.get("column")
        if spec.type not in REGEX_EXPECTATIONS or column not in frame.columns:
            out_specs.append(spec)  # a missing column is GX's to report, with no pattern run
            continue
        name = f"__evalguard_re2_{index}"
        while name in frame.columns or name in added:
            name += "_"
        added[name] = row_outcomes(frame[column], spec.type, spec.kwargs)
        kept = {k: v for k, v in spec.kwargs.items() if k in ("mostly", "row_condition", "condition_parser")}
        out_specs.append(ExpectationSpec("expect_column_values_to_be_in_set",
                                         {"column": name, "value_set": [True], **kept}, spec.clause, spec.meta))
    if added:
        frame = frame.assign(**added)
    return frame, out_specs
