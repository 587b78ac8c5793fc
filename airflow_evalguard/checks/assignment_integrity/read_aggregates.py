"""assignment_integrity's sufficient statistics handed over pre-aggregated (a warehouse GROUP BY)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from airflow_evalguard.checks.assignment_integrity.tables import ARM, ArmTables, FieldTable
from airflow_evalguard.checks.common.aggregates import whole_counts
from airflow_evalguard.columns.strata import encode_dimension
from airflow_evalguard.columns.validation import require_rows
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.stats.balance import Moments


def from_aggregates(
    arm_counts: pd.DataFrame, field_counts: pd.DataFrame | None, moments: pd.DataFrame | None
) -> ArmTables:
    """Read the pre-aggregated form (columns FIELD_COUNT_COLUMNS / MOMENT_COLUMNS); rows repeating
    a key (shards) are added up."""
    frames = [("arm_counts", arm_counts), ("field_counts", field_counts), ("moments", moments)]
    given = [(name, frame) for name, frame in frames if frame is not None]
    dim = encode_dimension(ARM, [frame[ARM] for _, frame in given])
    codes = dict(zip([name for name, _ in given], dim.codes, strict=True))
    counts = np.bincount(
        codes["arm_counts"], weights=whole_counts(arm_counts["count"], "arm_counts"), minlength=len(dim.levels)
    )
    observed = counts > 0
    for name, _ in given[1:]:
        stray = sorted({dim.levels[code] for code in np.unique(codes[name]) if not observed[code]})
        if stray:
            raise EvalGuardInputError(
                f"input '{name}': arm(s) {stray[:10]} have no units in input 'arm_counts'", input_name=name, column=ARM
            )
    keep = np.flatnonzero(observed)
    remap = np.full(len(dim.levels), -1)  # arm code -> observed arm index (arms without units dropped)
    remap[keep] = np.arange(len(keep))
    out = ArmTables([dim.levels[k] for k in keep], counts[keep], form="aggregates")
    if field_counts is not None:
        out.fields.update(_field_tables(field_counts, remap[codes["field_counts"]], out))
    if moments is not None:
        out.moments.update(_moments(moments, remap[codes["moments"]], out))
    return out


def _field_tables(field_counts: pd.DataFrame, arms: np.ndarray, out: ArmTables) -> dict[str, FieldTable]:
    """A (value, arm) table of unit counts per field; every unit of every arm needs a value."""
    n_obs = len(out.arms)
    weights = whole_counts(field_counts["count"], "field_counts")
    names = field_counts["field"].astype(str).to_numpy()
    tables = {}
    for name in sorted(set(names)):
        rows = names == name
        values = encode_dimension("field", [field_counts["value"][rows]])
        table = np.bincount(
            values.codes[0] * n_obs + arms[rows], weights=weights[rows], minlength=len(values.levels) * n_obs
        ).reshape(len(values.levels), n_obs)
        if not np.array_equal(table.sum(axis=0), out.units):
            per_arm = table.sum(axis=0).astype(int).tolist()
            raise EvalGuardInputError(
                f"input 'field_counts': field '{name}' counts {per_arm} units per arm "
                f"{out.arms}, input 'arm_counts' {out.units.astype(int).tolist()}; every unit needs a value "
                "(NULL included)",
                input_name="field_counts",
                column="count",
            )
        tables[name] = FieldTable(values.levels, table, "levels")
    return tables


def _moments(moments: pd.DataFrame, arms: np.ndarray, out: ArmTables) -> dict[str, list[Moments]]:
    """Per numeric column, each arm's count, sum and sum of squares (no more values than units)."""
    n_obs = len(out.arms)
    value_counts = whole_counts(moments["count"], "moments")
    sums = {}
    for column in ("sum", "sum_sq"):
        numbers = pd.to_numeric(moments[column], errors="coerce")
        require_rows(
            moments[column],
            numbers.isna() & (value_counts > 0),
            input_name="moments",
            column=column,
            requirement="must be a number",
        )
        sums[column] = numbers.fillna(0).to_numpy(float)
    names = moments["column"].astype(str).to_numpy()
    out_moments = {}
    for name in sorted(set(names)):
        rows = names == name
        per_arm = [
            np.bincount(arms[rows], weights=weights[rows], minlength=n_obs)
            for weights in (value_counts, sums["sum"], sums["sum_sq"])
        ]
        if np.any(per_arm[0] > out.units):
            raise EvalGuardInputError(
                f"input 'moments': column '{name}' has more values than units in some arm",
                input_name="moments",
                column="count",
            )
        out_moments[name] = [Moments(*(float(column[k]) for column in per_arm)) for k in range(n_obs)]
    return out_moments
