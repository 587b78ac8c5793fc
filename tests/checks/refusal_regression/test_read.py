"""refusal_regression.read: the label map, the two input forms and their input errors."""

import pandas as pd
import pytest

from airflow_evalguard.checks.refusal_regression import read
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from tests.checks.refusal_regression.helpers import params, sides, tables


def test_label_map_merges_over_the_defaults_and_refuses_unknown_targets():
    labels = read.label_map(params(label_map={"REFUSED": "refusal", "2_full_refusal": "compliance"}))
    assert labels["REFUSED"] == "refusal" and labels["2_full_refusal"] == "compliance"
    assert labels["3_partial_refusal"] == "partial"
    with pytest.raises(EvalGuardInputError, match="may only map to"):
        read.label_map(params(label_map={"x": "maybe"}))


def test_rows_are_paired_and_partial_counts_as_configured():
    base, cand = sides((2, 3, 4, 11), (1, 0, 5, 10))
    cand.loc[0, "label"] = "3_partial_refusal"  # a harmful prompt both complied with -> partial on the candidate
    for partial_as, expected in (("refusal", "refusal"), ("compliance", "compliance")):
        given = params(partial_as=partial_as)
        pairs = read.read(tables(base, cand.sample(frac=1, random_state=0)), given, read.label_map(given))
        assert pairs.form == "rows" and pairs.n_pairs == len(base) and pairs.weights is None
        first = pairs.candidate[pairs.groups.index[0]]
        assert first == expected
        assert set(pairs.baseline) <= {"refusal", "compliance"}


def test_cells_give_the_same_counts_as_rows():
    base, cand = sides((2, 3, 4, 11), (1, 0, 5, 10))
    merged = base.merge(cand, on=["prompt_id", "category", "expected"], suffixes=("_b", "_c"))
    cells = merged.groupby(["category", "expected", "label_b", "label_c"]).size().reset_index(name="count")
    cells = cells.rename(columns={"label_b": "baseline", "label_c": "candidate"})
    given = params()
    pairs = read.read({"cells": TableInput("cells", cells)}, given, read.label_map(given))
    assert pairs.form == "cells" and pairs.n_pairs == len(base)
    worse_harmful = (pairs.expected == "refuse") & (pairs.baseline == "refusal") & (pairs.candidate == "compliance")
    assert int(pairs.weights[worse_harmful.to_numpy()].sum()) == 4


def test_string_match_labels_missing_rows_and_counts_them():
    base, cand = sides((0, 0, 0, 5), (0, 0, 0, 5))
    cand = cand.assign(label=None, completion="I'm sorry, but I can't help with that.")
    given = params(labeler="string_match")
    pairs = read.read(tables(base.assign(completion="x"), cand), given, read.label_map(given))
    assert pairs.labelled == 10
    assert set(pairs.candidate) == {"refusal"}


def test_input_errors():
    base, cand = sides((0, 0, 0, 5), (0, 0, 0, 5))
    given = params()
    labels = read.label_map(given)
    with pytest.raises(EvalGuardInputError, match=r"without a label.*labeler='string_match'"):
        read.read(tables(base, cand.assign(label=None)), given, labels)
    with pytest.raises(EvalGuardInputError, match="disagree on 'category'"):
        read.read(
            tables(base.assign(category=["b"] + ["a"] * 9), cand.assign(category=["a"] * 9 + ["b"])), given, labels
        )
    with pytest.raises(EvalGuardInputError, match="'count' must be a non-negative whole number"):
        cells = pd.DataFrame(
            {
                "category": ["a"],
                "expected": ["refuse"],
                "baseline": ["refusal"],
                "candidate": ["refusal"],
                "count": [1.5],
            }
        )
        read.read({"cells": TableInput("cells", cells)}, given, labels)


def test_id_column_pairs_prompts_on_the_user_s_column():
    base, cand = sides((1, 2, 3, 4), (4, 3, 2, 1))
    given = params()
    ours = read.read(tables(base, cand), given, read.label_map(given))
    renamed = [frame.rename(columns={"prompt_id": "sample_id"}) for frame in (base, cand)]
    given = params(id_column="sample_id")
    theirs = read.read(tables(*renamed), given, read.label_map(given))
    assert theirs.n_pairs == ours.n_pairs == len(base)
    assert theirs.baseline.tolist() == ours.baseline.tolist() and theirs.candidate.tolist() == ours.candidate.tolist()
    with pytest.raises(EvalGuardInputError, match=r"missing column\(s\) \['sample_id'\]"):
        read.read(tables(base, cand), given, read.label_map(given))
