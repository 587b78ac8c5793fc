"""refusal_regression.outcomes: the 2x2 tables per outcome and category, against pandas crosstabs."""

import pandas as pd

from airflow_evalguard.checks.refusal_regression import outcomes, read
from tests.checks.refusal_regression.helpers import both, params, tables


def test_tables_count_each_outcome_per_category_as_a_crosstab_does():
    base, cand = both(("a", ((2, 3, 4, 11), (1, 0, 5, 10))), ("b", ((0, 1, 7, 2), (0, 0, 0, 0))))
    given = params()
    result = outcomes.tables(read.read(tables(base, cand), given, read.label_map(given)))
    assert result.categories == ["a", "b"]
    frame = base.merge(cand, on=["prompt_id", "category", "expected"], suffixes=("_b", "_c"))
    for outcome, table, total in zip(outcomes.OUTCOMES, result.by_category, result.overall, strict=True):
        mine = frame[frame["expected"] == outcome.expected]
        worse = pd.crosstab(mine["category"], (mine["label_b"] != outcome.bad) & (mine["label_c"] == outcome.bad))
        for index, category in enumerate(result.categories):
            expected_worse = int(worse.loc[category, True]) if category in worse.index and True in worse else 0
            assert table.worse[index] == expected_worse
        assert total.n[0] == len(mine) and total.worse[0] == table.worse.sum()
    assert result.by_category[1].n.tolist() == [16, 0]  # no benign prompts in category b


def test_bands_read_the_outcome_params():
    harmful, benign = outcomes.OUTCOMES
    given = params(harmful_warn_at=0.01, harmful_fail_at=0.03)
    assert harmful.bands(given) == (0.01, 0.03) and benign.bands(given) == (0.05, 0.10)
