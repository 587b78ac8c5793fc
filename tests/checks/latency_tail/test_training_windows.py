"""training_windows: windows from a mask (runs split at 30-minute gaps) and masks from windows
(pool-aware), checked by hand."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.latency_tail.training_windows import (
    Window,
    mask_from_windows,
    overlapping,
    read_windows,
    windows_from_mask,
)
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput

MIN = 60 * 10**9


def test_runs_split_at_gaps_over_30_minutes():
    ts = np.array([0, 10, 20, 31 + 20, 60, 200]) * MIN
    mask = np.array([True, True, True, True, False, True])
    runs = [Window(0, 20 * MIN), Window(51 * MIN, 51 * MIN), Window(200 * MIN, 200 * MIN)]
    assert windows_from_mask(ts, mask) == runs
    assert windows_from_mask(ts, np.zeros(6, bool)) == []


def test_a_window_with_a_pool_covers_only_that_pools_requests():
    ts = np.arange(6) * MIN
    pool = np.array([0, 1, 0, 1, 0, 1])
    mask = mask_from_windows(ts, pool, ["a", "b"], [Window(1 * MIN, 4 * MIN, "b"), Window(5 * MIN, 6 * MIN)])
    assert mask.tolist() == [False, True, False, True, False, True]
    assert overlapping([Window(1 * MIN, 2 * MIN), Window(10 * MIN, 11 * MIN)], ts) == [Window(1 * MIN, 2 * MIN)]


def test_naive_or_backwards_windows_are_refused():
    naive = pd.DataFrame({"start": ["2026-11-03 06:00"], "end": ["2026-11-03 07:00"]})
    with pytest.raises(EvalGuardInputError, match="timezone-naive"):
        read_windows(TableInput("training_windows", naive))
    backwards = pd.DataFrame({"start": ["2026-11-03T07:00Z"], "end": ["2026-11-03T06:00Z"]})
    with pytest.raises(EvalGuardInputError, match="end at or before"):
        read_windows(TableInput("training_windows", backwards))
