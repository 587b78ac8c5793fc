"""embedding_drift.read: which input combinations run which parts, and each input's refusals."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.checks.embedding_drift import read
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput


def _tables(**frames):
    return {name: TableInput(name, frame) for name, frame in frames.items()}


def _probe(n=5, dim=3, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {"probe_id": range(n), "old": list(rng.standard_normal((n, dim))), "new": list(rng.standard_normal((n, dim)))}
    )


@pytest.mark.parametrize(
    "given,parts",
    [
        ({"events"}, ["events"]),
        ({"relevance", "probe"}, ["probe", "relevance"]),
        ({"probe_old", "probe_new", "corpus_old", "corpus_new"}, ["probe"]),
        ({"events", "probe", "corpus", "relevance"}, ["events", "probe", "relevance"]),
    ],
)
def test_parts_given(given, parts):
    assert read.parts_given(dict.fromkeys(given)) == parts


@pytest.mark.parametrize(
    "given,message",
    [
        (set(), "at least one of the inputs"),
        ({"probe_old"}, "'probe_old' and 'probe_new' go together"),
        ({"probe", "probe_old", "probe_new"}, "not both"),
        ({"corpus", "events"}, "a corpus needs a probe"),
    ],
)
def test_parts_given_refuses(given, message):
    with pytest.raises(EvalGuardInputError, match=message):
        read.parts_given(dict.fromkeys(given))


def test_events_are_split_by_role_in_time_order():
    events = pd.DataFrame(
        {
            "ts": ["2026-01-03", "2026-01-01", "2026-01-02"],
            "arm": ["A", "A", "B"],
            "embedding_model": ["m", "m", "m"],
            "embedding_version": [2, 1, 1],
            "role": ["QUERY", "index", "query"],
        }
    )
    index, queries = read.events(TableInput("events", events))
    assert index["version"].tolist() == ["m@1"]
    assert queries["version"].tolist() == ["m@1", "m@2"]  # sorted by time, role case-insensitive
    assert queries["arm"].tolist() == ["B", "A"]


def test_probe_from_a_table_and_its_refusals():
    probe = read.probe(_tables(probe=_probe()))
    assert probe.old.dtype == np.float32 and probe.old.shape == (5, 3) and probe.corpus_old is None
    assert probe.ids.tolist() == [0, 1, 2, 3, 4]
    corpus = _probe(8, 4).rename(columns={"probe_id": "doc_id"})
    with pytest.raises(EvalGuardInputError, match="differ in dimension"):
        read.probe(_tables(probe=_probe(), corpus=corpus))
    inf = _probe()
    inf.at[4, "old"] = np.array([1.0, np.inf, 0.0])
    with pytest.raises(EvalGuardInputError, match=r"input 'probe old': 1 vector\(s\) contain NaN or inf, rows \[4\]"):
        read.probe(_tables(probe=inf))


def test_relevance_needs_both_versions_and_numbers():
    rows = pd.DataFrame(
        {"query_id": [1, 1], "doc_id": [1, 2], "rank": ["1", "2"], "relevant": [1, 0], "version": ["old", "new"]}
    )
    out = read.relevance(TableInput("relevance", rows), "old", "new")
    assert out["rank"].tolist() == [1, 2]
    with pytest.raises(EvalGuardInputError, match=r"needs \['new', 'v2'\]"):
        read.relevance(TableInput("relevance", rows), "v2", "new")
    with pytest.raises(EvalGuardInputError, match="must be numbers"):
        read.relevance(TableInput("relevance", rows.assign(rank=["1", "x"])), "old", "new")


def test_id_column_names_the_probe_s_rows():
    frame = _probe()
    ours = read.probe(_tables(probe=frame))
    theirs = read.probe(_tables(probe=frame.rename(columns={"probe_id": "query"})), "query")
    np.testing.assert_array_equal(theirs.ids, ours.ids)
    with pytest.raises(EvalGuardInputError, match=r"missing column\(s\) \['query'\]"):
        read.probe(_tables(probe=frame), "query")


def test_doc_and_query_columns_name_the_corpus_and_relevance_ids():
    rows = pd.DataFrame(
        {"q": [1, 1, 2, 2], "doc": [1, 2, 1, 2], "rank": [1, 2, 1, 2], "relevant": [1, 0, 0, 1], "version": ["old"] * 4}
    )
    rows = pd.concat([rows, rows.assign(version="new")], ignore_index=True)
    ours = read.relevance(
        TableInput("relevance", rows.rename(columns={"q": "query_id", "doc": "doc_id"})), "old", "new"
    )
    theirs = read.relevance(TableInput("relevance", rows), "old", "new", query_column="q", doc_column="doc")
    pd.testing.assert_frame_equal(theirs, ours)
    with pytest.raises(EvalGuardInputError, match="both name 'q'"):
        read.relevance(TableInput("relevance", rows), "old", "new", query_column="q", doc_column="q")
    corpus = _probe(8).rename(columns={"probe_id": "passage"})
    searched = read.probe(_tables(probe=_probe(), corpus=corpus), doc_column="passage")
    assert searched.corpus_old is not None and searched.corpus_old.shape == (8, 3)


def test_a_missing_id_column_names_the_parameter_that_maps_it():
    from airflow_evalguard.run import run_check

    rows = pd.DataFrame({"q": [1], "doc_id": [1], "rank": [1], "relevant": [1], "version": ["old"]})
    with pytest.raises(EvalGuardInputError, match=r"\['query_id'\] \(set query_column=") as caught:
        run_check("embedding_drift", {"relevance": rows})
    assert "input 'relevance'" in str(caught.value)
