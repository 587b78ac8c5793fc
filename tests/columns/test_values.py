"""map_unique is values.map(fn), computed once per distinct value."""

import numpy as np
import pandas as pd

from airflow_evalguard.columns.values import map_unique


def test_equals_map_on_every_row():
    rng = np.random.default_rng(0)
    values = pd.Series(rng.choice(["a", "bb", "ccc", None], size=1000), index=np.arange(1000) * 2)
    mapped = map_unique(values, len)
    expected = values.map(len, na_action="ignore")
    assert mapped.index.equals(values.index)
    assert isinstance(mapped.dtype, pd.CategoricalDtype)
    as_list = [[None if pd.isna(v) else int(v) for v in series] for series in (mapped, expected)]
    assert as_list[0] == as_list[1] and None in as_list[0]


def test_called_once_per_distinct_value_and_never_on_missing():
    seen = []

    def upper(value):
        seen.append(value)
        return value.upper()

    mapped = map_unique(pd.Series(["x", "y", "x", None, "x"]), upper)
    assert sorted(seen) == ["x", "y"]
    assert mapped.tolist()[:3] == ["X", "Y", "X"] and pd.isna(mapped.iloc[3])


def test_none_from_fn_is_missing_and_equal_results_share_a_category():
    mapped = map_unique(pd.Series(["keep", "drop", "KEEP"]), lambda v: None if v == "drop" else v.lower())
    assert pd.isna(mapped.iloc[1])
    assert list(mapped.cat.categories) == ["keep"]
