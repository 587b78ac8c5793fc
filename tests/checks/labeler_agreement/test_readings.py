"""labeler_agreement.readings: per-batch alpha against the krippendorff package, entropy against
scipy, gold accuracy and unanimity by hand; label counts give the rows' readings."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import entropy

from airflow_evalguard.checks.labeler_agreement.readings import measure

PARAMS = {"level": "ordinal", "order": None, "batch_order": None, "n_boot": 200, "seed": 0, "alpha": 0.05}


def labels(batches=2, items=40, seed=0):
    rng = np.random.default_rng(seed)
    rows, gold = [], []
    for batch in range(batches):
        for item in range(items):
            truth = int(rng.integers(1, 6))
            gold.append((f"{batch}-{item}", truth))
            for labeler in range(3):
                rows.append((f"{batch}-{item}", f"L{labeler}", int(np.clip(truth + rng.integers(-1, 2), 1, 5)), batch))
    return (
        pd.DataFrame(rows, columns=["item_id", "labeler_id", "label", "batch"]),
        pd.DataFrame(gold, columns=["item_id", "label"]),
    )


def test_alpha_entropy_unanimity_and_gold_per_batch():
    krippendorff = pytest.importorskip("krippendorff")
    rows, gold = labels()
    batches = measure(rows, gold, PARAMS)
    assert batches.order == [0, 1] and batches.unpairable == 0
    for index, batch in enumerate(batches.order):
        part = rows[rows["batch"] == batch]
        matrix = part.pivot(index="labeler_id", columns="item_id", values="label").to_numpy(dtype=float)
        alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal")
        assert batches.per_batch["alpha"][index] == pytest.approx(alpha, abs=1e-10)
        per_item = part.groupby("item_id")["label"]
        expected_entropy = per_item.apply(lambda s: entropy(s.value_counts(), base=2)).mean()
        assert batches.per_batch["entropy"][index] == pytest.approx(expected_entropy)
        assert batches.per_batch["unanimous_share"][index] == pytest.approx((per_item.nunique() == 1).mean())
        joined = part.merge(gold, on="item_id", suffixes=("", "_gold"))
        assert batches.per_batch["gold_accuracy"][index] == pytest.approx(
            (joined["label"] == joined["label_gold"]).mean()
        )
        low, high = batches.ci["alpha"][index]
        assert low < batches.per_batch["alpha"][index] < high
        assert batches.sizes[index] == (40, 3, 120)
    assert batches.replicates["alpha"].shape == (200, 2)


def test_label_counts_give_the_readings_of_their_rows():
    rows, _ = labels(seed=4)
    counts = rows.groupby(["batch", "item_id", "label"]).size().rename("count").reset_index()
    from_rows = measure(rows, None, PARAMS)
    from_counts = measure(counts, None, PARAMS)
    for reading in ("alpha", "entropy", "unanimous_share", "discrimination"):
        np.testing.assert_allclose(from_counts.per_batch[reading], from_rows.per_batch[reading], rtol=1e-12)
    assert from_counts.sizes[0][1] is None  # labelers are not known from counts
