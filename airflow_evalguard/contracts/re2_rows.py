"""Regex expectations run in RE2, row by row, before GX sees the frame.

GX would run a contract's patterns in Python's backtracking `re` (a pattern like `^(a+)+$` on a
long value hangs a worker); each regex expectation is evaluated here with pyarrow's RE2 into an
outcome column, and GX checks that column instead (same clause, mostly and row condition).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from airflow_evalguard.contracts.compile import ExpectationSpec
from airflow_evalguard.contracts.regex import REGEX_EXPECTATIONS, patterns_of


def row_outcomes(column, expectation_type: str, kwargs: dict):
    """Per row: True if the value meets the expectation, False if not, None for a null (GX skips those)."""
    present = column.notna().to_numpy()
    text = pa.array([str(value) for value in column[present]], type=pa.large_string())
    matches = [
        np.asarray(pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False), dtype=bool)
        for pattern in patterns_of(expectation_type, kwargs)
    ]
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
        out_specs.append(
            ExpectationSpec(
                "expect_column_values_to_be_in_set",
                {"column": name, "value_set": [True], **kept},
                spec.clause,
                spec.meta,
            )
        )
    if added:
        frame = frame.assign(**added)
    return frame, out_specs
