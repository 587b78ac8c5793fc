"""Shares, TVD and PSI by hand and against scipy's L1 distance."""

import numpy as np
import pytest
from scipy.spatial.distance import cityblock

from airflow_evalguard.stats.distances import psi, shares, tvd


def test_tvd_and_psi_by_hand():
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])
    assert tvd(p, q) == pytest.approx(0.5)
    # PSI with the zero share floored at 1e-4
    expected = (0.25 * np.log(2) * 2) + (1e-4 - 0.5) * np.log(1e-4 / 0.5)
    assert psi(p, q) == pytest.approx(expected)


def test_tvd_matches_scipy_wasserstein_free_definition():
    # TVD equals half the L1 distance; scipy's `distance.cityblock` is an independent L1.
    rng = np.random.default_rng(3)
    p, q = shares(rng.random(10)), shares(rng.random(10))
    assert tvd(p, q) == pytest.approx(0.5 * cityblock(p, q))


def test_shares_of_an_empty_row_stay_zero():
    assert shares(np.array([[0, 0], [1, 3]])).tolist() == [[0.0, 0.0], [0.25, 0.75]]
