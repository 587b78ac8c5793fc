"""assignment_integrity's inputs -> its sufficient statistics (`tables.ArmTables`), either form.

`units` (one row per unit) is counted by `read_units`; `arm_counts` with `field_counts` and
`moments` (pre-aggregated) is added up by `read_aggregates`. Both are checked here for what the
decision needs: covariates that vary, a table for every assembler input, the A/A metric.
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.assignment_integrity.read_aggregates import from_aggregates
from airflow_evalguard.checks.assignment_integrity.read_units import from_units
from airflow_evalguard.checks.assignment_integrity.tables import (
    ARM,
    FIELD_COUNT_COLUMNS,
    ID,
    MOMENT_COLUMNS,
    ArmTables,
    is_numeric,
)
from airflow_evalguard.checks.common.aggregates import which_form
from airflow_evalguard.checks.common.ratings import read_required
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.stats.balance import Moments

AGGREGATED_EXTRAS = {"field_counts", "moments"}


def validate(params: dict[str, Any]) -> None:
    if not 0 <= params["smd_warn"] <= params["smd_fail"]:
        raise EvalGuardInputError("params: need 0 <= smd_warn <= smd_fail")
    if params["aa"] and not params["metric"]:
        raise EvalGuardInputError("param 'aa' needs param 'metric' (the column whose lift must be 0)")


def assembler_fields(params: dict[str, Any]) -> list[str]:
    """The assembler inputs whose dependence with the arm is tested (the arm itself is not one)."""
    return [name for name in params["assembler_inputs"] if name != ARM]


def read_tables(tables: dict[str, TableInput], params: dict[str, Any], fields: list[str]) -> ArmTables:
    form = which_form(set(tables) - AGGREGATED_EXTRAS, ("units",), ("arm_counts",))
    if form == "rows":
        extra = sorted(set(tables) & AGGREGATED_EXTRAS)
        if extra:
            raise EvalGuardInputError(f"input(s) {extra} go with 'arm_counts' (pre-aggregated), not with 'units'")
        return _read_units(tables["units"], params, fields)
    columns = {"arm_counts": [ARM, "count"], "field_counts": FIELD_COUNT_COLUMNS, "moments": MOMENT_COLUMNS}
    frames = {name: read_required(tables[name], cols) for name, cols in columns.items() if name in tables}
    stats = from_aggregates(frames["arm_counts"], frames.get("field_counts"), frames.get("moments"))
    for covariate in params["covariates"]:
        _check_aggregated_covariate(stats, covariate)
    missing = [name for name in fields if name not in stats.fields]
    if missing:
        raise EvalGuardInputError(
            f"input 'field_counts' has no table for assembler input(s) {missing} (bin numeric ones)",
            input_name="field_counts",
            column="field",
        )
    if params["aa"] and params["metric"] and params["metric"] not in stats.moments:
        raise EvalGuardInputError(
            f"param 'aa': input 'moments' has no column '{params['metric']}'", input_name="moments", column="column"
        )
    return stats


def _read_units(table: TableInput, params: dict[str, Any], fields: list[str]) -> ArmTables:
    metric = [params["metric"]] if params["metric"] else []
    units = table.read(list(dict.fromkeys([ID, ARM, *params["covariates"], *fields, *metric])))
    if len(units) == 0:
        raise EvalGuardInputError("input 'units' is empty", input_name="units")
    duplicated = units[ID].duplicated()
    if duplicated.any():
        raise EvalGuardInputError(
            f"input 'units': duplicate unit_id(s) {units.loc[duplicated, ID].head(5).tolist()}",
            input_name="units",
            column=ID,
        )
    for covariate in params["covariates"]:
        if units[covariate].nunique(dropna=False) < 2:
            raise EvalGuardInputError(
                f"input 'units': covariate '{covariate}' is constant; nothing to balance-check",
                input_name="units",
                column=covariate,
            )
    numeric = [column for column in params["covariates"] if is_numeric(units[column])]
    tabulated = list(dict.fromkeys([*(column for column in params["covariates"] if column not in numeric), *fields]))
    return from_units(units, tabulated, list(dict.fromkeys(numeric + metric)))


def _check_aggregated_covariate(stats: ArmTables, covariate: str) -> None:
    """A covariate of the aggregated form must be in `moments` or `field_counts`, and vary."""
    if covariate in stats.moments:
        per_arm = stats.moments[covariate]
        total = Moments(*(sum(getattr(arm, name) for arm in per_arm) for name in ("count", "total", "total_sq")))
        # constant up to rounding of the sums, over every unit
        constant = total.count == stats.units.sum() and not total.var > 1e-12 * max(total.mean**2, 1e-300)
        if total.count == 0 or constant:
            raise EvalGuardInputError(
                f"input 'moments': covariate '{covariate}' is constant; nothing to balance-check",
                input_name="moments",
                column=covariate,
            )
    elif covariate in stats.fields:
        if len(stats.fields[covariate].levels) < 2:
            raise EvalGuardInputError(
                f"input 'field_counts': covariate '{covariate}' is constant; nothing to balance-check",
                input_name="field_counts",
                column=covariate,
            )
    else:
        raise EvalGuardInputError(
            f"covariate '{covariate}' is in neither input 'moments' (numeric) nor 'field_counts' (categorical)",
            column=covariate,
        )
