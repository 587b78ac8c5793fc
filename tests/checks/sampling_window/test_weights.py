import numpy as np
import pytest

from airflow_evalguard.checks.sampling_window.weights import evidence, weights_part, weights_table
from tests.checks.sampling_window.strata import rows, strata

RNG = np.random.default_rng(1)


def _frame(n, p_us, hours=24):
    return rows(list(RNG.integers(0, hours, n)), list(RNG.choice(["us", "eu"], n, p=[p_us, 1 - p_us])))


def test_post_stratified_weights_give_the_reference_mix_and_kish_ess():
    sample, reference = _frame(3000, 0.3, hours=2), _frame(20000, 0.7, hours=2)
    read, params = strata(sample, reference, dimensions=["region"])
    weighting = weights_part(read, params)
    assert weighting.method == "post_stratification"
    weights = weights_table(read, weighting, None)["weight"].to_numpy()
    share_us = weights[sample["region"].to_numpy() == "us"].sum() / weights.sum()
    assert share_us == pytest.approx((reference["region"] == "us").mean(), abs=1e-9)
    assert weighting.ess == pytest.approx(weights.sum() ** 2 / (weights**2).sum())  # Kish (1965)
    assert weighting.part.metrics["kish_ess_ratio"].value == pytest.approx(weighting.ess / 3000)


def test_thin_joint_cells_are_raked_to_each_dimensions_mix():
    sample, reference = _frame(150, 0.5), _frame(20000, 0.7)
    read, params = strata(sample, reference, dimensions=["region"])
    weighting = weights_part(read, params)
    assert weighting.method == "raking" and weighting.raking["raking_converged"]
    assert [f.code for f in weighting.part.findings] == ["RAKING_WEIGHTS"]
    weights = weights_table(read, weighting, None)["weight"].to_numpy()
    share_us = weights[sample["region"].to_numpy() == "us"].sum() / weights.sum()
    assert share_us == pytest.approx((reference["region"] == "us").mean(), abs=1e-6)


def test_sample_only_strata_get_weight_zero_and_a_finding():
    sample = rows([1] * 50 + [2] * 50, ["us"] * 50 + ["mars"] * 50)
    reference = rows([1] * 30 + [2] * 30, ["us"] * 60)
    read, params = strata(sample, reference, dimensions=["region"])
    weighting = weights_part(read, params)
    assert [f.code for f in weighting.part.findings][-1] == "SAMPLE_ONLY_STRATA"
    table = weights_table(read, weighting, None)
    assert (table["weight"].to_numpy()[50:] == 0).all()
    frame = evidence(read, weighting.cell_weights)
    assert list(frame["dimension"].unique()) == ["hour_of_day", "region", "joint"]
