"""Reading rating columns for the agreement checks: numeric where the level needs numbers, the
scale order when labels are words, and input errors that name the column and the rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.stats.krippendorff import encode_values

LEVELS = ("nominal", "ordinal", "interval")


def read_required(
    table: TableInput, columns: list[str], optional: tuple[str, ...] = (), *, id_column: tuple[str, str] | None = None
) -> pd.DataFrame:
    """Read `columns` (+ whichever `optional` ones exist); empty tables are an input error.

    `id_column` = (the check's name for its join key, the column the user named with the check's
    id_column parameter): read under the user's name, returned under the check's."""
    ours, theirs = id_column or ("", "")
    available = set(table.columns())
    wanted = [theirs if column == ours else column for column in columns] + [c for c in optional if c in available]
    df = table.read(wanted)
    if ours and ours != theirs:
        df = df.rename(columns={theirs: ours})
    if len(df) == 0:
        raise EvalGuardInputError(f"input '{table.name}' is empty", input_name=table.name)
    return df


def require_present(df: pd.DataFrame, column: str, input_name: str, what: str) -> None:
    missing = df[column].isna()
    if missing.any():
        rows = df.index[missing][:5].tolist()
        raise EvalGuardInputError(
            f"input '{input_name}': column '{column}' ({what}) is missing in {int(missing.sum())} row(s), "
            f"e.g. rows {rows}",
            input_name=input_name,
            column=column,
        )


def encode(
    labels: pd.Series, level: str, order: list[Any] | None, *, input_name: str, column: str
) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values in scale order, code per row) for non-missing labels."""
    with refused_ratings(input_name, column):
        return encode_values(labels, level, order)


@contextmanager
def refused_ratings(input_name: str, column: str) -> Iterator[None]:
    """A ratings column the agreement statistics refuse (words on a numeric level, too many distinct
    values for the level, statistics too large to hold) is that input's error, not a crash."""
    try:
        yield
    except ValueError as exc:
        raise EvalGuardInputError(
            f"input '{input_name}': column '{column}': {exc}", input_name=input_name, column=column
        ) from exc


def reject_duplicates(df: pd.DataFrame, keys: list[str], input_name: str) -> None:
    dup = df.duplicated(keys, keep=False)
    if dup.any():
        example = df.loc[dup, keys].head(3).to_dict("records")
        raise EvalGuardInputError(
            f"input '{input_name}': {int(dup.sum())} row(s) repeat the same {'/'.join(keys)}, e.g. {example}; "
            "one rating per rater and item is required",
            input_name=input_name,
            column=keys[-1],
        )
