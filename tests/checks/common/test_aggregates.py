"""Pre-aggregated inputs: exactly one form, and counts that are whole and non-negative."""

import pandas as pd
import pytest

from airflow_evalguard.checks.common.aggregates import one_form, which_form, whole_counts
from airflow_evalguard.exceptions import EvalGuardInputError


def test_exactly_one_form():
    assert which_form({"baseline", "candidate"}, ("baseline", "candidate"), ("cells",)) == "rows"
    assert which_form({"cells"}, ("baseline", "candidate"), ("cells", "moments")) == "cells"
    assert one_form({"cells"}, ("baseline", "candidate"), "cells") is True
    for given in ({"baseline"}, {"baseline", "candidate", "cells"}, {"cells", "moments"}, set()):
        with pytest.raises(EvalGuardInputError, match="give either"):
            which_form(given, ("baseline", "candidate"), ("cells", "moments"))


def test_counts_must_be_whole_and_non_negative():
    assert whole_counts(pd.Series([0, 3, 2.0]), "cells").tolist() == [0.0, 3.0, 2.0]
    for bad in ([1, -1], [1.5], ["x"], [None]):
        with pytest.raises(EvalGuardInputError, match="non-negative whole number"):
            whole_counts(pd.Series(bad), "cells")
