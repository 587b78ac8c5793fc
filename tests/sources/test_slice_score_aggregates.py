"""slice_retention on scores: rows, paired cells (counts of identical score pairs) and per-stratum
moments (sums and sums of squares) give the same verdict and metrics."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.sources.same import approx_same, duckdb_source

PARAMS = {"slice_columns": ["skill", "lang"], "metric": "score", "n_boot": 1000}


def _grades(drop_rare: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """1-5 rubric scores; 'skill' has a rare slice (250 examples: bootstrapped) and common ones
    (> 2,000: paired t); the student loses `drop_rare` points on the rare one."""
    rng = np.random.default_rng(seed)
    skill = np.repeat(["rare", "common_a", "common_b"], [250, 4000, 4500])
    lang = rng.choice(["en", "de"], len(skill), p=[0.7, 0.3])
    teacher = rng.integers(1, 6, len(skill)).astype(float)
    noise = rng.choice([-1.0, 0.0, 0.0, 0.0, 1.0], len(skill))
    student = np.clip(teacher + noise - np.where(skill == "rare", rng.binomial(1, drop_rare, len(skill)), 0), 1, 5)
    ids = [f"ex{i}" for i in range(len(skill))]
    base = pd.DataFrame({"example_id": ids, "skill": skill, "lang": lang})
    return base.assign(score=teacher), base.assign(score=student)


def _cells(teacher, student):
    paired = teacher.merge(student[["example_id", "score"]], on="example_id", suffixes=("_t", "_s"))
    return (
        paired.groupby(["skill", "lang", "score_t", "score_s"])
        .size()
        .rename("count")
        .reset_index()
        .rename(columns={"score_t": "teacher_score", "score_s": "student_score"})
    )


def _moments(teacher, student):
    paired = teacher.merge(student[["example_id", "score"]], on="example_id", suffixes=("_t", "_s"))
    d = paired["score_t"] - paired["score_s"]
    return (
        paired.assign(d=d, d2=d * d)
        .groupby(["skill", "lang"])
        .agg(
            count=("d", "size"),
            teacher_sum=("score_t", "sum"),
            student_sum=("score_s", "sum"),
            diff_sum=("d", "sum"),
            diff_sumsq=("d2", "sum"),
        )
        .reset_index()
    )


@pytest.mark.parametrize("drop_rare", [0.0, 0.6])
def test_score_cells_equal_rows_including_bootstrapped_slices(drop_rare):
    teacher, student = _grades(drop_rare, seed=5)
    from_rows = run_check("slice_retention", {"teacher": teacher, "student": student}, PARAMS)
    from_cells = run_check("slice_retention", {"cells": _cells(teacher, student)}, PARAMS)
    approx_same(from_rows, from_cells)
    assert "paired_skew_t" in from_cells.params["methods_used"]  # the rare slice was expanded from counts
    assert (from_rows.verdict.value == "FAIL") == (drop_rare > 0)


def test_moments_equal_rows_when_every_slice_is_large():
    teacher, student = _grades(0.0, seed=6)
    keep = teacher["skill"] != "rare"
    teacher, student = teacher[keep], student[keep]
    from_rows = run_check("slice_retention", {"teacher": teacher, "student": student}, PARAMS)
    from_moments = run_check("slice_retention", {"moments": _moments(teacher, student)}, PARAMS)
    approx_same(from_rows, from_moments)
    assert from_moments.params["methods_used"] == ["paired_t"]


def test_moments_use_the_t_interval_for_small_slices_and_still_catch_the_drop():
    teacher, student = _grades(0.6, seed=7)
    res = run_check("slice_retention", {"moments": _moments(teacher, student)}, PARAMS)
    assert res.params["delta_method"] == "paired t from moments for every slice"
    assert res.verdict.value == "FAIL"
    assert any(f.code == "SLICE_REGRESSION" and f.slice == "skill=rare" for f in res.findings)


def test_moments_and_score_cells_pushed_down_to_duckdb(tmp_path):
    teacher, student = _grades(0.6, seed=8)
    source = duckdb_source(tmp_path, teacher=teacher, student=student)
    from_rows = run_check("slice_retention", {"teacher": teacher, "student": student}, PARAMS)
    cells = source.paired_cells("teacher", "student", id_column="example_id", by=["skill", "lang"], value="score")
    approx_same(from_rows, run_check("slice_retention", {"cells": cells}, PARAMS))
    moments = source.paired_moments("teacher", "student", id_column="example_id", by=["skill", "lang"], value="score")
    expected = run_check("slice_retention", {"moments": _moments(teacher, student)}, PARAMS)
    approx_same(expected, run_check("slice_retention", {"moments": moments}, PARAMS))


def test_bad_aggregates_are_refused():
    teacher, student = _grades(0.0, seed=9)
    moments = _moments(teacher, student)
    with pytest.raises(EvalGuardInputError, match="either input"):
        run_check("slice_retention", {"cells": _cells(teacher, student), "moments": moments}, PARAMS)
    with pytest.raises(EvalGuardInputError, match="metric='score'"):
        run_check("slice_retention", {"moments": moments}, {**PARAMS, "metric": "correct"})
    with pytest.raises(EvalGuardInputError, match="diff_sumsq"):
        run_check("slice_retention", {"moments": moments.drop(columns="diff_sumsq")}, PARAMS)
    with pytest.raises(EvalGuardInputError, match="must be a number"):
        run_check("slice_retention", {"cells": _cells(teacher, student).assign(teacher_score="x")}, PARAMS)
