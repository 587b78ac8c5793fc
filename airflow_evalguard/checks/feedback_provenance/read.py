"""feedback_provenance's input: the candidate rows, whole, and which of their columns can hold text.

Every column is read (quarantined rows keep all of them) and strings as strings: rows written
back out must keep the input's dtypes and must not carry a dictionary of every value in the file.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput

# The columns the outputs add; an input may not bring its own.
ROW, REASONS, RAW_BYTES = "evalguard_row", "evalguard_reasons", "evalguard_text_bytes"
NAME_LISTS = ("allowed_environments", "allowed_surfaces", "employee_types", "pii", "scan_columns")


def check_name_lists(params: dict[str, Any]) -> None:
    """The list parameters hold names (str, int or bool), not nested lists or objects."""
    for name in NAME_LISTS:
        if params[name] is not None and not all(isinstance(value, (str, int, bool)) for value in params[name]):
            raise EvalGuardInputError(f"param '{name}' must be a list of names, got {params[name]!r}")


def required_columns(params: dict[str, Any]) -> list[str]:
    """The text and author columns, and the column each enabled rule reads."""
    need = [params["text_column"], "author_id"]
    if params["allowed_environments"] is not None:
        need.append("environment")
    if params["allowed_surfaces"] is not None:
        need.append("surface")
    if params["require_consent"]:
        need.append("consent")
    if params["max_employee_share"] < 1:
        need.append("author_type")
    return need


def candidates(table: TableInput, params: dict[str, Any]) -> pd.DataFrame:
    """Every row and column of the input, numbered from 0; refuses reserved columns and no rows."""
    table.require(required_columns(params))
    frame = table.read(categorical_strings=False).reset_index(drop=True)
    for column in (ROW, REASONS, RAW_BYTES):
        if column in frame.columns:
            raise EvalGuardInputError(
                f"input 'candidates': column '{column}' is reserved for the gate's output",
                input_name="candidates",
                column=column,
            )
    if len(frame) == 0:
        raise EvalGuardInputError("input 'candidates': no rows", input_name="candidates")
    return frame


def holds_text(series: pd.Series) -> bool:
    """Columns whose cells can be text: strings, bytes, categoricals of strings, objects (mixed,
    JSON objects and lists). Numbers, booleans and timestamps are not scanned."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return holds_text(pd.Series(dtype.categories))
    if isinstance(dtype, pd.ArrowDtype):
        arrow_type = dtype.pyarrow_dtype
        arrow_type = arrow_type.value_type if pa.types.is_dictionary(arrow_type) else arrow_type
        return not (
            pa.types.is_integer(arrow_type)
            or pa.types.is_floating(arrow_type)
            or pa.types.is_boolean(arrow_type)
            or pa.types.is_temporal(arrow_type)
            or pa.types.is_decimal(arrow_type)
            or pa.types.is_null(arrow_type)
        )
    return bool(pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype))


def scan_columns(frame: pd.DataFrame, params: dict[str, Any]) -> list[Any]:
    """The text column, and every other column that can hold text unless `scan_columns` names
    the ones to scan (the text column is always scanned: it is what training reads)."""
    text_column = params["text_column"]
    if params["scan_columns"] is None:
        others = [column for column in frame.columns if column != text_column and holds_text(frame[column])]
    else:
        missing = [column for column in params["scan_columns"] if column not in frame.columns]
        if missing:
            raise EvalGuardInputError(
                f"param 'scan_columns': no column(s) {missing} in input 'candidates'; "
                f"it has {[str(column) for column in frame.columns][:20]}",
                input_name="candidates",
                column=str(missing[0]),
            )
        others = [column for column in dict.fromkeys(params["scan_columns"]) if column != text_column]
    return [text_column, *others]
