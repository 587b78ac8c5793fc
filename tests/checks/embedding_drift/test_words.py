"""embedding_drift.words: the summary per verdict and the sentences' numbers."""

import pandas as pd

from airflow_evalguard.checks.embedding_drift import words
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict

WARNED = Finding("warn", "RETRIEVAL_REGRESSION", "recall@10 drops by 0.030")
FAILED = Finding("fail", "NEIGHBORHOOD_SHIFT", "only 40% of each probe's top-10 neighbours survive")


def test_summary_per_verdict():
    assert words.summary(Verdict.FAIL, [WARNED, FAILED], ["probe"]).endswith(f": {FAILED.message}.")
    assert words.summary(Verdict.WARN, [WARNED], ["relevance"]).endswith(f": {WARNED.message}.")
    assert words.summary(Verdict.INCONCLUSIVE, [], ["probe"]).startswith("Too few probes or queries")
    assert "(events, probe checked)" in words.summary(Verdict.PASS, [], ["events", "probe"])


def test_sentences_carry_their_numbers():
    assert words.neighbourhood_shift(0.5, 0.125, 10, 0.87654).startswith(
        "only 50% of each probe's top-10 neighbours survive the new embedding (CI 38%-62%; similarity rank "
        "correlation 0.88)"
    )
    assert "(CI of the drop 0.010 to 0.050, p 0.0012 after Holm, 40 queries)" in words.retrieval_regression(
        "ndcg@5", 0.03, 0.01, 0.05, 0.00123, 40
    )
    at = pd.Timestamp("2026-01-01", tz="UTC")
    mismatch = words.version_mismatch(1234, 5000, 0.2468, at, "m@2", "m@1", {"A": 1234})
    assert mismatch.startswith("1,234 of 5,000 queries (24.7%) were embedded")
    assert mismatch.endswith("; by arm: A 1,234")  # not a Python dict
    assert words.changed_mid_experiment("B", "m@1", "m@2", at) == (
        "arm B: query embeddings changed from m@1 to m@2 at 2026-01-01T00:00:00+00:00, in the middle of the experiment"
    )


def test_an_unsettled_change_says_its_direction():
    # an unsettled metric may have risen: "drops by -0.012" read as a drop
    assert words.retrieval_unsettled("recall@10", -0.012, -0.04, 0.07, 1200, 0.05).startswith(
        "recall@10 rises by 0.012 under the new embedding (CI of the drop -0.040 to 0.070, 1,200 queries)"
    )
    assert words.retrieval_unsettled("recall@10", 0.02, -0.04, 0.07, 30, 0.05).startswith("recall@10 drops by 0.020")
    assert words.retrieval_unsettled("recall@10", 0.0001, -0.04, 0.07, 30, 0.05).startswith("recall@10 is unchanged")
