"""slice_retention.slices: one Holm family across all slices (statsmodels' Holm), min_n and tolerance."""

import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests

from airflow_evalguard.checks.slice_retention import read, slices
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.verdicts import Verdict
from tests.checks.slice_retention.helpers import correct_pairs, params, tables
from tests.stats import mcnemar_oracle

CELLS = {"big": (20, 5, 40, 535), "rare": (1, 0, 6, 13), "flat": (10, 8, 9, 273)}


def judge(required=(), **given):
    resolved = params(**given)
    return slices.judge(read.read(tables(*correct_pairs(CELLS)), resolved), list(required), resolved)


def test_holm_across_every_slice():
    family = judge()
    raw = {
        name: mcnemar([[c[0], c[1]], [c[2], c[3]]], exact=c[1] + c[2] < 25, correction=True).pvalue
        for name, c in CELLS.items()
    }
    adjusted = dict(zip(raw, multipletests(list(raw.values()), method="holm")[1], strict=True))
    for result in family.part.slices:
        name = result.slice.removeprefix("slice=")
        assert result.metrics["p_holm"].value == pytest.approx(adjusted[name])


def test_verdicts_min_n_and_counts():
    family = judge()
    verdicts = {s.slice: s.verdict for s in family.part.slices}
    assert verdicts == {"slice=big": Verdict.FAIL, "slice=flat": Verdict.PASS, "slice=rare": Verdict.INCONCLUSIVE}
    assert family.part.slice_validity == verdicts
    assert list(family.unsettled) == ["slice=rare"] and "n=20 < 30" in family.unsettled["slice=rare"].entry
    assert family.part.metrics["slices_regressed"].value == 1
    assert family.part.metrics["slices_underpowered"].value == 1
    assert [f.slice for f in family.part.findings] == ["slice=big"]
    assert family.regressions[0].slice == "slice=big" and family.regressions[0].drop == pytest.approx(35 / 600)


def test_a_declared_tolerance_tightens_the_slice_band():
    loose = judge(fail_at=0.10, warn_at=0.02)
    assert {s.slice: s.verdict for s in loose.part.slices}["slice=big"] is Verdict.WARN  # +5.8 points
    tight = judge([read.Required("slice=big", 30, 0.05)], fail_at=0.10, warn_at=0.02)
    assert {s.slice: s.verdict for s in tight.part.slices}["slice=big"] is Verdict.FAIL


def test_slice_columns_that_disagree_between_the_sides_are_an_error():
    teacher, student = correct_pairs(CELLS)
    student = student.assign(slice=pd.Series(["big"] + list(student["slice"][1:])).where(lambda s: s.index > 0, "x"))
    resolved = params()
    with pytest.raises(EvalGuardInputError, match="inputs disagree on slice column 'slice' for 1 example"):
        slices.judge(read.read(tables(teacher, student), resolved), [], resolved)


def test_the_rare_slice_states_its_detectable_drop_and_size_for_its_holm_level():
    # three slices in the Holm family: each is sized at alpha / 3; discordance over all 920 pairs
    family = judge()
    level, discordance = 0.05 / 3, (5 + 40 + 0 + 6 + 8 + 9) / 920
    rare = next(s for s in family.part.slices if s.slice == "slice=rare")
    detectable = rare.metrics["min_detectable_drop"].value

    def power(drop, pairs=20):
        return mcnemar_oracle.table_power(pairs, *mcnemar_oracle.alternative(drop, discordance), level)

    assert power(detectable) >= 0.8 > power(detectable - 1e-5)
    stated = family.unsettled["slice=rare"].size
    assert stated.n >= 30 and stated.effect == "a 5.0-point drop"  # min_n 30 is the least that could settle it
    assert mcnemar_oracle.crosses_eighty_percent_at(stated.n, 0.05, discordance, level)
