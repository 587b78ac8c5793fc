"""Cold starts from idle gaps, against a pandas groupby-diff oracle."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_evalguard.checks.latency_tail.cold_starts import idle_gap_cold


def _oracle(ts_ns, key, idle_timeout_s):
    frame = pd.DataFrame({"ts": ts_ns, "key": key})
    gap = frame.groupby("key")["ts"].diff()  # NaN for each key's first request: never cold
    return (gap >= idle_timeout_s * 1e9).to_numpy()


def test_a_gap_at_the_timeout_is_cold_and_the_first_request_is_not():
    seconds = np.array([0, 1, 11, 12, 30], dtype=np.int64) * 10**9
    key = np.array([0, 0, 0, 1, 1])
    cold = idle_gap_cold(seconds, key, idle_timeout_s=10)
    # key 0: gaps 1 s and 10 s (the second is cold); key 1: its first request, then an 18 s gap
    assert cold.tolist() == [False, False, True, False, True]


@settings(max_examples=200, deadline=None)
@given(
    gaps=st.lists(st.integers(0, 50), min_size=0, max_size=60),
    keys=st.lists(st.integers(0, 4), min_size=60, max_size=60),
    timeout=st.integers(1, 40),
)
def test_matches_groupby_diff(gaps, keys, timeout):
    ts_ns = np.cumsum(np.array(gaps, dtype=np.int64)) * 10**9  # ascending, ties allowed
    key = np.array(keys[: len(gaps)], dtype=np.int64)
    assert idle_gap_cold(ts_ns, key, timeout).tolist() == _oracle(ts_ns, key, timeout).tolist()


def test_many_replicas_take_the_wide_key_path():
    rng = np.random.default_rng(3)
    ts_ns = np.sort(rng.integers(0, 10**13, 5000))
    key = rng.integers(0, 40000, 5000)  # beyond int16: the 64-bit sort
    assert idle_gap_cold(ts_ns, key, 30).tolist() == _oracle(ts_ns, key, 30).tolist()
