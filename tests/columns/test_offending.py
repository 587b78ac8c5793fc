import math

import pandas as pd

from airflow_evalguard.columns.offending import offending_values


def test_mixed_types_and_missing_values_are_quoted_as_sorted_text():
    values = pd.Series(["b", math.nan, None, 3, "a", "b"], dtype=object)
    assert offending_values(values) == ["3", "None", "a", "b", "nan"]


def test_long_values_are_cut_and_the_list_is_limited():
    values = pd.Series(["x" * 1_000] + [f"v{i:02d}" for i in range(30)])
    quoted = offending_values(values, limit=5)
    assert len(quoted) == 5 and all(len(text) <= 43 for text in quoted)


def test_pii_in_a_quoted_value_is_redacted():
    key = "sk-" + "live-" + "Q7hR2mX9vL4kT8wZ3nB6yC1d"
    quoted = offending_values(pd.Series([f"ask {key}", "jane" + "@example.com"]))
    assert quoted == ["ask [REDACTED:secret]", "[REDACTED:email]"]
