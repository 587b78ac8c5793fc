"""Apply a Python function to a column once per distinct value, not once per row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def map_unique(values: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """`values.map(fn)` computed on the distinct values, returned as a categorical.

    Labels repeat a million times but only a handful are distinct; mapping the distinct values
    and keeping integer codes avoids building a million Python strings. Missing values stay
    missing and `fn` never sees them; a None from `fn` is missing too.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = [fn(u) for u in uniques]
    categories = list(dict.fromkeys(m for m in mapped if m is not None))
    index = {c: i for i, c in enumerate(categories)}
    lookup = np.array([index[m] if m is not None else -1 for m in mapped] + [-1], dtype=np.int64)
    return pd.Series(pd.Categorical.from_codes(lookup[codes], categories=categories), index=values.index)
