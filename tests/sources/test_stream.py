"""Streamed aggregations: a missing column's error names the stream-spec argument that names it."""

from __future__ import annotations

import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources import stream
from airflow_evalguard.sources.specs import resolve_inputs


@pytest.fixture
def paired(tmp_path):
    path = tmp_path / "paired.parquet"
    frame = pd.DataFrame(
        {"category": ["a", "a"], "expected": ["refuse"] * 2, "base": ["refusal"] * 2, "tuned": ["x"] * 2}
    )
    frame.to_parquet(path)
    return str(path)


def test_a_missing_column_names_the_spec_argument_that_would_name_it(paired):
    spec = {"stream": "refusal_cells", "path": paired}
    with pytest.raises(EvalGuardInputError) as caught:
        resolve_inputs({"cells": spec})
    message = str(caught.value)
    assert "missing column(s) ['baseline_label', 'candidate_label']" in message
    assert "(set baseline_label=..., candidate_label=... in the stream spec)" in message
    assert caught.value.column == "baseline_label"
    named = resolve_inputs({"cells": {**spec, "baseline_label": "base", "candidate_label": "tuned"}})["cells"]
    assert named["count"].tolist() == [2] and named["candidate"].tolist() == ["x"]


def test_every_stream_aggregation_names_its_own_argument(paired):
    with pytest.raises(EvalGuardInputError, match=r"\['ts'\] \(set timestamp_column=\.\.\. in the stream spec\)"):
        stream.sampling_window_counts(paired)
    with pytest.raises(EvalGuardInputError, match=r"\['region'\] \(set dimensions=\.\.\. in the stream spec\)"):
        stream.sampling_window_counts(paired, timestamp_column="category", dimensions=["region"])
    with pytest.raises(EvalGuardInputError, match=r"\['arm'\] \(set columns=\.\.\. in the stream spec\)"):
        stream.counts(paired, ["category", "arm"])
