"""Arms built through the check's own reader, for the part tests."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.assignment_integrity.arms import Arms, align
from airflow_evalguard.checks.assignment_integrity.read import assembler_fields, read_tables
from airflow_evalguard.checks.assignment_integrity.spec import SPEC
from airflow_evalguard.io import TableInput


def params(**given: Any) -> dict[str, Any]:
    return SPEC.resolve_params(given)


def units(n: int, seed: int, p_b: float | np.ndarray = 0.5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "unit_id": np.arange(n),
            "arm": np.where(rng.random(n) < p_b, "B", "A"),
            "prompt_tokens": rng.lognormal(6.5, 0.8, n).round(),
            "language": rng.choice(["en", "de", "fr"], n, p=[0.6, 0.25, 0.15]),
            "y": rng.normal(0, 1, n),
        }
    )


def arms_of(frame: pd.DataFrame, **given: Any) -> tuple[Arms, dict[str, Any]]:
    resolved = params(**given)
    fields = assembler_fields(resolved)
    stats = read_tables({"units": TableInput("units", frame)}, resolved, fields)
    return align(stats, resolved["expected_split"]), resolved
