import numpy as np
import pandas as pd

from airflow_evalguard.checks.assignment_integrity.tables import binned_by_quartile, field_codes, quartile_labels


def test_many_valued_numbers_are_binned_by_quartile_like_pandas_qcut():
    values = pd.Series(np.random.default_rng(15).normal(size=1000))
    codes, levels, how = field_codes(values)
    assert how == "quartiles" and len(levels) == 4
    np.testing.assert_array_equal(codes, pd.qcut(values, 4, labels=False).to_numpy())


def test_few_valued_numbers_and_categories_are_tested_level_by_level():
    assert not binned_by_quartile(8) and binned_by_quartile(9)
    codes, levels, how = field_codes(pd.Series([1, 2, 2, 3]))
    assert how == "levels" and levels == ["1", "2", "3"] and list(codes) == [0, 1, 1, 2]


def test_quartile_labels_read_as_ranges():
    assert quartile_labels(np.array([0, 1, 2, 3, 4.5])) == ["<= 1", "in 1-2", "in 2-3", "> 3"]
