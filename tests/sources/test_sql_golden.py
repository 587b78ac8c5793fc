"""The SQL each aggregation sends, per dialect, against the expected text in tests/data/sql_golden/
(each statement parsed back by sqlglot in its dialect by the recording driver), and hostile names
that stay identifiers in every dialect.

Regenerate the expected text after an intended change with EVALGUARD_UPDATE_GOLDEN=1 (and read
the diff: it is the change every warehouse sees)."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from airflow_evalguard.sources.sql_dialects import SUPPORTED
from tests.sources.sql_recording import recording_source

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "sql_golden"
AGGREGATIONS = {
    "sampling_window_counts": lambda s: s.sampling_window_counts(
        "analytics.eval_sample", dimensions=["region", "is_retry"], timezone="Europe/Berlin"
    ),
    "latency_histogram": lambda s: s.latency_histogram("requests"),
    "label_counts": lambda s: s.label_counts("labels"),
    "label_counts_from_query": lambda s: s.label_counts(
        {"query": "SELECT batch, item_id, label FROM raw_labels WHERE reviewed"}
    ),
    "refusal_cells": lambda s: s.refusal_cells("xstest.base", "xstest.tuned"),
    "paired_cells": lambda s: s.paired_cells("teacher", "student", by=["skill"]),
    "paired_moments": lambda s: s.paired_moments("teacher", "student", by=["skill"]),
    "judge_score_counts": lambda s: s.judge_score_counts("judged", parse_error="parse_error"),
    "rubric_item_sums": lambda s: s.rubric_item_sums("ratings"),
    "assignment_tables": lambda s: s.assignment_tables(
        "assignments", categorical=["region"], numeric=["tokens"], binned=["prompt_len"]
    ),
}


def _text(sent) -> str:
    return "".join(f"{sql};\n-- parameters: {json.dumps(params)}\n" for sql, params in sent)


@pytest.mark.parametrize("aggregation", sorted(AGGREGATIONS))
@pytest.mark.parametrize("dialect", SUPPORTED)
def test_rendered_sql_is_the_golden_text_and_parses_back(dialect, aggregation):
    source = recording_source(dialect)
    AGGREGATIONS[aggregation](source)
    assert source.hook.parsed and len(source.hook.parsed) == len(source.hook.sent)  # every one parsed back
    text = _text(source.hook.sent)
    path = GOLDEN / dialect / f"{aggregation}.sql"
    if os.environ.get("EVALGUARD_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_no_dialect_is_given_an_approximate_percentile_or_a_dropped_time_zone():
    for dialect in SUPPORTED:
        text = (GOLDEN / dialect / "assignment_tables.sql").read_text() + (
            GOLDEN / dialect / "sampling_window_counts.sql"
        ).read_text()
        assert "APPROX" not in text.upper(), dialect
        assert "Europe/Berlin" in text, dialect  # the zone is in every hour query (as a parameter value)


FRAGMENTS = ['"', "`", "\\", ";", "--", "/*", "*/", "'", "%s", "%", "?", "$1", "\n", " ", "é", "名", "\u202e", "DROP"]
NAME = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00."), min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=5,
).map("".join)


def _identifiers(trees) -> set:
    return {node.this for tree in trees for node in tree.find_all(exp.Identifier)}


@settings(max_examples=40, deadline=None)
@given(names=st.lists(NAME, min_size=6, max_size=6, unique=True))
def test_hostile_names_stay_identifiers_in_every_dialect(names):
    table, left, ts, dim, expected, label = names
    for dialect in SUPPORTED:
        source = recording_source(dialect)
        source.sampling_window_counts(table, timestamp_column=ts, dimensions=[dim], timezone="UTC")
        source.refusal_cells(left, table, id_column=ts, by=dim, expected=expected, label=label)
        aliases = {"hour_of_day", "count", "a", "b", "expected", "baseline", "candidate"}
        assert _identifiers(source.hook.parsed) == {*names, *aliases}, dialect
        # nothing but the two SELECTs: no statement, comment or string swallowed a name
        assert all(isinstance(tree, exp.Select) for tree in source.hook.parsed)
        literals = {node.this for tree in source.hook.parsed for node in tree.find_all(exp.Literal) if node.is_string}
        assert literals <= {"UTC", "+00:00"}, dialect
