"""read_rows: invalid latencies dropped only when asked, time order, booleans, codes per column."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.latency_tail.read_rows import read_requests
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput


def _frame():
    return pd.DataFrame(
        {
            "ts": pd.to_datetime(["2026-11-03T00:00:02Z", "2026-11-03T00:00:01Z", "2026-11-03T00:00:03Z"]),
            "model": ["a", "b", "a"],
            "latency_ms": [5.0, np.nan, 7.0],
            "is_cold": ["yes", "no", "false"],
        }
    )


def test_drop_invalid_and_sort():
    req = read_requests(TableInput("requests", _frame()), {"drop_invalid": True, "timezone": "UTC"})
    assert req.dropped_invalid == 1 and not req.was_unsorted
    assert req.latency.tolist() == [5.0, 7.0]
    assert req.is_cold.tolist() == [True, False]
    unsorted = _frame().iloc[[2, 0]]
    req = read_requests(TableInput("requests", unsorted), {"drop_invalid": False, "timezone": "UTC"})
    assert req.was_unsorted and req.latency.tolist() == [5.0, 7.0]
    assert [req.endpoints[code] for code in req.endpoint] == ["a", "a"]


def test_invalid_latency_is_an_error_unless_dropped():
    with pytest.raises(EvalGuardInputError, match=r"1 request\(s\) have a missing"):
        read_requests(TableInput("requests", _frame()), {"drop_invalid": False, "timezone": "UTC"})
