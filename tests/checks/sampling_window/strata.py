"""Strata built through the check's own reader, for the part tests."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.sampling_window.read import Strata, read_strata, validate
from airflow_evalguard.checks.sampling_window.spec import SPEC
from airflow_evalguard.io import TableInput


def params(**given: Any) -> dict[str, Any]:
    return SPEC.resolve_params(given)


def rows(hours: list[int], regions: list[str] | None = None) -> pd.DataFrame:
    """One row per item at the given UTC hours (and regions)."""
    ts = pd.Timestamp("2026-06-01", tz="UTC") + pd.to_timedelta(np.asarray(hours) * 3600 + 60, unit="s")
    frame = pd.DataFrame({"ts": ts})
    return frame.assign(region=regions) if regions is not None else frame


def strata(sample: pd.DataFrame, reference: pd.DataFrame, **given: Any) -> tuple[Strata, dict[str, Any]]:
    resolved = params(**given)
    tables = {"sample": TableInput("sample", sample), "reference": TableInput("reference", reference)}
    return read_strata(tables, resolved, validate(resolved)), resolved
