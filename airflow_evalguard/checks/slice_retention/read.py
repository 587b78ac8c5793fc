"""slice_retention's inputs -> paired values per example (rows joined on example_id), per
aggregated cell (slice columns, teacher/student value, count) or per stratum of score moments,
side by side; and the declared required slices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.aggregates import which_form, whole_counts
from airflow_evalguard.checks.common.pairing import pair
from airflow_evalguard.checks.common.ratings import read_required
from airflow_evalguard.columns.validation import require_rows
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput

ID = "example_id"
SIDES = ("teacher", "student")
# the sufficient statistics of paired scores per stratum (input 'moments')
MOMENT_COLUMNS = ("count", "teacher_sum", "student_sum", "diff_sum", "diff_sumsq")


@dataclass(frozen=True)
class Sample:
    """The paired evaluation in one of its three forms; `slice_values[col]` = (teacher's, student's)."""

    form: str  # rows | cells | moments
    n_total: int
    slice_values: dict[str, tuple[pd.Series, pd.Series]]
    unpaired: dict[str, int]  # side -> examples dropped for having no partner
    teacher: np.ndarray | None = None  # per entry (rows, cells)
    student: np.ndarray | None = None
    weights: np.ndarray | None = None  # examples per cell
    moments: pd.DataFrame | None = None
    ids: pd.Series | None = None  # example ids of the rows form, to name disagreeing examples


@dataclass(frozen=True)
class Required:
    slice: str  # col=value
    min_n: int
    tolerance: float | None  # a tighter fail_at for this slice


def read(tables: dict[str, TableInput], params: dict[str, Any]) -> Sample:
    metric, columns = params["metric"], params["slice_columns"]
    form = which_form(set(tables) - {"required_slices"}, SIDES, ("cells", "moments"))
    no_unpaired = {"teacher": 0, "student": 0}
    if form == "moments":
        moments = _read_moments(tables["moments"], params)
        return Sample(
            form,
            int(moments["count"].sum()),
            {col: (moments[col], moments[col]) for col in columns},
            no_unpaired,
            moments=moments,
        )
    if form == "cells":
        cells = _read_cells(tables["cells"], params)
        weights = cells["count"].to_numpy()
        return Sample(
            form,
            int(weights.sum()),
            {col: (cells[col], cells[col]) for col in columns},
            no_unpaired,
            cells[f"teacher_{metric}"].to_numpy(),
            cells[f"student_{metric}"].to_numpy(),
            weights,
        )
    teacher, student = _read_rows(tables["teacher"], params), _read_rows(tables["student"], params)
    paired = pair(teacher, student, names=SIDES, id_column=ID, allow_unpaired=params["allow_unpaired"])
    frame = paired.frame
    return Sample(
        form,
        len(frame),
        {col: (frame[f"{col}_teacher"], frame[f"{col}_student"]) for col in columns},
        paired.unpaired,
        frame[f"{metric}_teacher"].to_numpy(),
        frame[f"{metric}_student"].to_numpy(),
        ids=frame[ID],
    )


def _read_rows(table: TableInput, params: dict[str, Any]) -> pd.DataFrame:
    metric = params["metric"]
    # The id column is read under the user's name and joined on under ours.
    df = table.read([params["id_column"], *params["slice_columns"], metric]).rename(columns={params["id_column"]: ID})
    if len(df) == 0:
        raise EvalGuardInputError(f"input '{table.name}' is empty", input_name=table.name)
    values = pd.to_numeric(df[metric], errors="coerce")
    if values.isna().all():
        raise EvalGuardInputError(
            f"input '{table.name}': column '{metric}' has no numeric values", input_name=table.name, column=metric
        )
    bad = values.isna() | (metric == "correct") & ~values.isin([0, 1])
    if bad.any():
        rows = df.loc[bad, [ID, metric]].head(5).to_dict("records")
        need = "0 or 1" if metric == "correct" else "a number"
        raise EvalGuardInputError(
            f"input '{table.name}': column '{metric}' must be {need} in every row; {int(bad.sum())} bad row(s): {rows}",
            input_name=table.name,
            column=metric,
        )
    return df.assign(**{metric: values.astype(float)})


def _read_cells(table: TableInput, params: dict[str, Any]) -> pd.DataFrame:
    """Pre-aggregated paired cells: the slice columns, `teacher_<metric>`, `student_<metric>` and
    `count` of examples with that pair of values: the GROUP BY a warehouse returns."""
    correct = params["metric"] == "correct"
    sides = [f"{side}_{params['metric']}" for side in SIDES]
    df = read_required(table, [*params["slice_columns"], *sides, "count"])
    for col in sides:
        values = pd.to_numeric(df[col], errors="coerce")
        bad = ~values.isin([0, 1]) if correct else values.isna() | ~np.isfinite(values)
        require_rows(
            df[col],
            bad,
            input_name="cells",
            column=col,
            requirement="must be 0 or 1" if correct else "must be a number",
        )
        df[col] = values.astype(float)
    return df.assign(count=whole_counts(df["count"], "cells"))


def _read_moments(table: TableInput, params: dict[str, Any]) -> pd.DataFrame:
    """Per stratum of the slice columns: `count` of pairs and the sums `teacher_sum`, `student_sum`,
    `diff_sum` (teacher - student) and `diff_sumsq`."""
    if params["metric"] != "score":
        raise EvalGuardInputError(
            "input 'moments' is for metric='score'; 0/1 outcomes are aggregated exactly as input 'cells'",
            input_name="moments",
        )
    df = read_required(table, [*params["slice_columns"], *MOMENT_COLUMNS])
    df["count"] = whole_counts(df["count"], "moments")
    for col in MOMENT_COLUMNS[1:]:
        values = pd.to_numeric(df[col], errors="coerce")
        require_rows(
            df[col],
            values.isna() | ~np.isfinite(values),
            input_name="moments",
            column=col,
            requirement="must be a number",
        )
        df[col] = values.astype(float)
    require_rows(
        df["diff_sumsq"],
        df["diff_sumsq"] < -1e-9 * df["diff_sumsq"].abs().max(),
        input_name="moments",
        column="diff_sumsq",
        requirement="must not be negative",
    )
    return df


def required(table: TableInput | None, params: dict[str, Any]) -> list[Required]:
    """Declared slices: `slice` as col=value (or `column` + `value`), optional `min_n`, `tolerance`."""
    if table is None:
        return []
    df = table.read()
    if "slice" not in df.columns and not {"column", "value"} <= set(df.columns):
        raise EvalGuardInputError(
            "input 'required_slices' needs a 'slice' column (col=value) or 'column' and 'value'",
            input_name="required_slices",
            column="slice",
        )
    return [_required_row(row, df.columns, params) for _, row in df.iterrows()]


def _required_row(row: pd.Series, columns: pd.Index, params: dict[str, Any]) -> Required:
    if "slice" in columns and pd.notna(row.get("slice")):
        col, sep, val = str(row["slice"]).partition("=")
        if not sep:
            raise EvalGuardInputError(
                f"input 'required_slices': slice {row['slice']!r} is not col=value",
                input_name="required_slices",
                column="slice",
            )
    else:
        col, val = str(row["column"]), str(row["value"])
    if col not in params["slice_columns"]:
        raise EvalGuardInputError(
            f"input 'required_slices': {col!r} is not one of slice_columns {params['slice_columns']}",
            input_name="required_slices",
            column="slice",
        )
    min_n = int(row["min_n"]) if "min_n" in columns and pd.notna(row.get("min_n")) else int(params["min_n"])
    tolerance = float(row["tolerance"]) if "tolerance" in columns and pd.notna(row.get("tolerance")) else None
    return Required(f"{col}={val}", min_n, tolerance)
