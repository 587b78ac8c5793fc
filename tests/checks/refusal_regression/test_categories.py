"""refusal_regression.categories: one Holm family across every category of both outcomes
(statsmodels' Holm as the oracle), and the min_pairs rule."""

import pytest
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests

from airflow_evalguard.checks.refusal_regression import categories, outcomes, read
from airflow_evalguard.verdicts import Verdict
from tests.checks.refusal_regression.helpers import both, params, tables

CELLS = {
    "a": ((5, 2, 30, 163), (10, 8, 12, 170)),
    "b": ((0, 1, 9, 30), (0, 0, 1, 39)),
    "c": ((0, 0, 1, 9), (0, 0, 0, 0)),
}


def judge(**given):
    resolved = params(**given)
    base, cand = both(*CELLS.items())
    return categories.judge(
        outcomes.tables(read.read(tables(base, cand), resolved, read.label_map(resolved))), resolved
    )


def test_holm_spans_every_category_of_both_outcomes():
    result = judge()
    raw = [
        mcnemar([[c[0], c[1]], [c[2], c[3]]], exact=c[1] + c[2] < 25, correction=True).pvalue
        for outcome in (0, 1)
        for c in (CELLS[k][outcome] for k in CELLS)
        if sum(c)
    ]
    adjusted = iter(multipletests(raw, method="holm")[1])
    slices = {s.slice: s for s in result.part.slices}
    for outcome in outcomes.OUTCOMES:
        for name in CELLS:
            key = f"mcnemar_p_holm.{outcome.name}"
            if key in slices[f"category={name}"].metrics:
                assert slices[f"category={name}"].metrics[key].value == pytest.approx(next(adjusted))


def test_small_categories_cannot_pass_but_a_significant_rise_still_fails():
    result = judge()
    verdicts = {s.slice: s.verdict for s in result.part.slices}
    assert verdicts["category=a"] is Verdict.FAIL  # 200 pairs each, harmful +14 points
    assert verdicts["category=c"] is Verdict.INCONCLUSIVE  # 10 pairs < min_pairs 30
    assert result.part.slice_validity == verdicts  # the verdicts reach compose as floors
    assert [(u.slice, u.outcome, u.pairs) for u in result.unsettled if u.slice == "category=c"] == [
        ("category=c", "harmful", 10)
    ]
    regressions = [f for f in result.part.findings if f.code == "CATEGORY_REGRESSION"]
    assert regressions and all(f.slice == "category=a" for f in regressions)
    fewer = judge(min_pairs=5)
    assert {s.slice: s.verdict for s in fewer.part.slices}["category=c"] is Verdict.INCONCLUSIVE  # CI still wide


def test_methods_per_outcome():
    assert judge().methods == {"harmful": "mixed", "benign": "exact"}
