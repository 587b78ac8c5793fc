"""judge_drift.pin: counted by hand; rows and counts give the same part."""

import pandas as pd
import pytest

from airflow_evalguard.checks.judge_drift.pin import pin_part, pin_part_counts
from airflow_evalguard.verdicts import Verdict


def test_unpinned_scores_fail_directly_with_their_share():
    models = pd.Series(["v1"] * 30 + ["v2"] * 10)
    part = pin_part(models, ["v1"])
    assert part.metrics["unpinned_share"].value == pytest.approx(10 / 40)
    assert part.metrics["judge_snapshots"].value == 2 and part.metrics["judge_snapshots"].n == 40
    assert part.validity == (Verdict.FAIL,)
    assert [f.code for f in part.findings] == ["JUDGE_SNAPSHOT_CHANGED"]
    assert part.headline[0].startswith("The judge changed under the eval: 10 of 40 scores")


def test_rows_and_counts_give_the_same_part():
    models = pd.Series(["b"] * 5 + ["a"] * 5 + ["c"] * 7)
    counts = pd.Series({"a": 5, "b": 5, "c": 7, "unused": 0})
    assert pin_part(models, ["c"]) == pin_part_counts(counts, ["c"])


def test_without_a_pin_several_snapshots_warn_and_one_is_noted():
    mixed = pin_part(pd.Series(["a", "b", "b"]), None)
    assert mixed.validity == (Verdict.WARN,) and mixed.findings[0].code == "MIXED_JUDGE_SNAPSHOTS"
    assert "'b' (2), 'a' (1)" in mixed.findings[0].message  # most scores first
    single = pin_part(pd.Series(["a", "a"]), None)
    assert single.validity == () and single.findings[0].code == "JUDGE_NOT_PINNED"


def test_all_pinned_passes_silently():
    part = pin_part(pd.Series(["a", "a"]), ["a", "b"])
    assert part.validity == () and part.findings == () and part.metrics["unpinned_share"].value == 0.0
