"""Holm's step-down adjustment against statsmodels' multipletests (the oracle named in the module)."""

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from airflow_evalguard.stats.multiplicity import holm_adjust


@pytest.mark.parametrize("seed", range(8))
def test_equals_statsmodels_holm(seed):
    rng = np.random.default_rng(seed)
    p_values = rng.uniform(0, 0.2, size=3 + seed * 3)
    p_values[::4] = p_values[0]  # ties
    expected = multipletests(p_values, method="holm")[1]
    assert holm_adjust(list(p_values)) == pytest.approx(list(expected), abs=1e-12)


def test_hand_computed_family():
    # sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> running max 0.06
    assert holm_adjust([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_monotone_and_capped_at_one():
    # 0.3*3 = 0.9, then 0.4*2 = 0.8 and 0.5*1 = 0.5 stay at the running maximum 0.9
    assert holm_adjust([0.5, 0.4, 0.3]) == pytest.approx([0.9, 0.9, 0.9])
    assert holm_adjust([0.6, 0.7]) == [1.0, 1.0]  # 0.6*2 = 1.2, capped


def test_none_is_left_out_of_the_family():
    adjusted = holm_adjust([0.01, None, 0.04])
    assert adjusted[1] is None
    # a family of two, not three
    assert [adjusted[0], adjusted[2]] == pytest.approx(list(multipletests([0.01, 0.04], method="holm")[1]))


def test_empty_and_all_none():
    assert holm_adjust([]) == []
    assert holm_adjust([None, None]) == [None, None]
