"""contention: p99 while training runs against the same hours without it (numpy ratio), and the
training windows named in its finding."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.latency_tail import contention
from airflow_evalguard.checks.latency_tail.tails import Group, TrainingPair
from airflow_evalguard.checks.latency_tail.training_windows import Window
from airflow_evalguard.core.compose import judge_members
from airflow_evalguard.verdicts import Verdict
from tests.checks.latency_tail._samples import PARAMS, estimator


def test_training_inflation_is_the_p99_ratio_and_names_the_window():
    rng = np.random.default_rng(7)
    busy, quiet = rng.lognormal(6, 0.5, 20_000) * 1.4, rng.lognormal(6, 0.5, 20_000)
    start = pd.Timestamp("2026-11-03 06:00", tz="UTC").value
    busy_ts = start + np.arange(20_000, dtype=np.int64) * 10**9
    window = Window(start, start + 4 * 3600 * 10**9)
    pair = TrainingPair(Group("ep", "chat", 40_000), estimator(busy), estimator(quiet), busy_ts)
    decided = contention.decide([pair], [window, Window(0, 10)], 0.025, PARAMS)
    [member] = decided.part.gated
    assert member.value == pytest.approx(np.quantile(busy, 0.99) / np.quantile(quiet, 0.99) - 1)
    assert judge_members([member], 0.05)[0].verdict is Verdict.FAIL
    assert "training windows: 2026-11-03 06:00-10:00 UTC" in member.describe(Verdict.FAIL)
    assert set(decided.part.metrics) == {"p99_inflation.training[chat]"}
    assert decided.group_metrics[member.slice]["p99_inflation_training"].n == 20_000
