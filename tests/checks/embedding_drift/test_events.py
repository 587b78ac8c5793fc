"""embedding_drift.events against a row-by-row hand computation of the index in effect."""

import pandas as pd

from airflow_evalguard.checks.embedding_drift import events
from airflow_evalguard.verdicts import Verdict


def _events():
    ts = pd.to_datetime(
        [
            "2026-01-01 00:00",
            "2026-01-01 01:00",
            "2026-01-01 02:00",
            "2026-01-01 03:00",
            "2026-01-01 04:00",
            "2026-01-01 05:00",
        ],
        utc=True,
    )
    return pd.DataFrame(
        {
            "ts": ts,
            "arm": ["-", "A", "B", "-", "A", "B"],
            "role": ["index", "query", "query", "index", "query", "query"],
            "version": ["m@1", "m@1", "m@1", "m@2", "m@1", "m@2"],
        }
    )


def _index_in_effect(index, ts):
    """Oracle: the latest index event at or before ts (the first one before any)."""
    before = index[index["ts"] <= ts]
    return (before if len(before) else index.iloc[:1])["version"].iloc[-1]


def test_mismatch_share_matches_a_row_by_row_oracle():
    frame = _events()
    index, queries = frame[frame["role"] == "index"], frame[frame["role"] == "query"]
    part, evidence = events.mismatch(index, queries)
    expected = [q.version != _index_in_effect(index, q.ts) for q in queries.itertuples()]
    assert expected == [False, False, True, False]
    assert part.metrics["version_mismatch"].value == sum(expected) / len(expected)
    assert part.validity == (Verdict.FAIL,)
    (finding,) = part.findings
    assert finding.code == "EMBEDDING_VERSION_MISMATCH" and "first at 2026-01-01T04:00:00+00:00" in finding.message
    assert evidence["detail"].tolist() == ["query m@1 vs index m@2"]


def test_no_finding_without_a_mismatch_or_without_index_events():
    frame = _events().iloc[:3]
    index, queries = frame[frame["role"] == "index"], frame[frame["role"] == "query"]
    part, _ = events.mismatch(index, queries)
    assert part.metrics["version_mismatch"].value == 0 and part.findings == () and part.validity == ()
    part, evidence = events.mismatch(index.iloc[:0], queries)
    assert part.metrics == {} and evidence is None


def test_changes_per_arm():
    frame = _events()
    part = events.changes(frame[frame["role"] == "query"])
    assert part.metrics["version_change_during_experiment[A]"].value == 0
    assert part.metrics["version_change_during_experiment[B]"].value == 1
    (finding,) = part.findings
    assert finding.slice == "arm=B" and "from m@1 to m@2 at 2026-01-01T05:00:00+00:00" in finding.message
    assert part.validity == (Verdict.FAIL,)
