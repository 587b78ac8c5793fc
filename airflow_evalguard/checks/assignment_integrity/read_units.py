"""assignment_integrity's sufficient statistics counted from one row per unit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from airflow_evalguard.checks.assignment_integrity.tables import ARM, ArmTables, FieldTable, field_codes
from airflow_evalguard.columns.strata import encode_dimension
from airflow_evalguard.stats.balance import Moments


def from_units(units: pd.DataFrame, fields: list[str], numeric: list[str]) -> ArmTables:
    """Count the statistics from one row per unit: `fields` tabulated, `numeric` summed."""
    arm_dim = encode_dimension(ARM, [units[ARM]])
    arms, n_obs = arm_dim.codes[0], len(arm_dim.levels)
    out = ArmTables(arm_dim.levels, np.bincount(arms, minlength=n_obs).astype(float))
    for name in fields:
        codes, levels, how = field_codes(units[name])
        table = np.bincount(codes * n_obs + arms, minlength=len(levels) * n_obs).reshape(len(levels), n_obs)
        out.fields[name] = FieldTable(levels, table.astype(float), how)
    for name in numeric:
        values = units[name].to_numpy(float)
        present = ~np.isnan(values)
        out.moments[name] = [Moments.of(values[present & (arms == k)]) for k in range(n_obs)]
    return out
