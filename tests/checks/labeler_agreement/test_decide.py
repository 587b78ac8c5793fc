"""labeler_agreement: homogenization vs real improvement, per-batch values, calibration, bad input."""

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.schema import assert_valid_result


def simulate(mode, batches=6, items=150, labelers=4, seed=0):
    """Ordinal 1-5 labels of items with a true grade.

    null: labelers read the grade with +-1 noise throughout. improve: the noise fades (they read
    the grade exactly by the end). homogenize: labelers copy a shared heuristic that pulls every
    mark toward 3-4 (marks crowd, noise fades, the grade matters less).
    """
    rng = np.random.default_rng(seed)
    rows, gold = [], []
    for b in range(batches):
        f = b / (batches - 1)
        for i in range(items):
            t = int(rng.integers(1, 6))
            item = f"b{b}-{i}"
            gold.append((item, t))
            for lab in range(labelers):
                noise = int(rng.integers(-1, 2))
                if mode == "improve":
                    mark = t if rng.random() < f else t + noise
                elif mode == "homogenize":
                    mark = round(3.5 + (1 - 0.8 * f) * (t - 3.5) + (1 - f) * noise)
                else:
                    mark = t + noise
                rows.append((item, f"L{lab}", int(np.clip(mark, 1, 5)), f"2026-0{b + 1}"))
    labels = pd.DataFrame(rows, columns=["item_id", "labeler_id", "label", "batch"])
    return labels, pd.DataFrame(gold, columns=["item_id", "label"])


def test_homogenization_fails_and_names_what_moved():
    labels, gold = simulate("homogenize", seed=1)
    r = run_check("labeler_agreement", {"labels": labels, "gold": gold}, {"level": "ordinal", "n_boot": 400})
    assert r.verdict.value in ("FAIL", "WARN")
    f = next(f for f in r.findings if f.code == "HOMOGENIZATION")
    assert "alpha rose" in f.message and "discrimination fell" in f.message and "gold_accuracy" in f.message
    assert r.metrics["trend.discrimination"].ci_high < 0
    assert_valid_result(r)


def test_real_improvement_with_gold_is_not_homogenization():
    labels, gold = simulate("improve", seed=2)
    r = run_check("labeler_agreement", {"labels": labels, "gold": gold}, {"level": "ordinal", "n_boot": 400})
    assert r.verdict.value == "PASS"
    assert r.metrics["trend.alpha"].ci_low > 0 and r.metrics["trend.gold_accuracy"].ci_low > 0
    assert "AGREEMENT_WITH_ACCURACY" in {f.code for f in r.findings}


def test_per_batch_slices_and_alpha_match_the_krippendorff_package():
    krippendorff = pytest.importorskip("krippendorff")
    labels, gold = simulate("null", batches=3, items=80, seed=3)
    r = run_check("labeler_agreement", {"labels": labels, "gold": gold}, {"level": "ordinal", "n_boot": 200})
    assert [s.slice for s in r.slices] == ["batch=2026-01", "batch=2026-02", "batch=2026-03"]
    for s in r.slices:
        b = labels[labels["batch"] == s.slice.split("=")[1]]
        matrix = b.pivot(index="labeler_id", columns="item_id", values="label").to_numpy(dtype=float)
        expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal")
        assert s.metrics["alpha"].value == pytest.approx(expected, abs=1e-10)
        assert s.metrics["alpha"].ci_low < s.metrics["alpha"].value < s.metrics["alpha"].ci_high
        g = b.merge(gold, on="item_id", suffixes=("", "_gold"))
        assert s.metrics["gold_accuracy"].value == pytest.approx((g["label"] == g["label_gold"]).mean())
        per_item = b.groupby("item_id")["label"].nunique()
        assert s.metrics["unanimous_share"].value == pytest.approx((per_item == 1).mean())


def test_entropy_is_mean_within_item_entropy_in_bits():
    from scipy.stats import entropy

    labels = pd.DataFrame(
        {
            "item_id": ["a", "a", "b", "b", "c", "c", "a", "a", "b", "b"],
            "labeler_id": ["x", "y"] * 5,
            "label": ["p", "q", "p", "p", "q", "q", "p", "p", "q", "p"],
            "batch": [1] * 6 + [2] * 4,
        }
    )
    r = run_check("labeler_agreement", {"labels": labels}, {"n_boot": 200})
    first = next(s for s in r.slices if s.slice == "batch=1")
    assert first.metrics["entropy"].value == pytest.approx(np.mean([entropy([1, 1], base=2), 0, 0]))


def test_null_false_fail_rate_at_most_alpha():
    fails = 0
    sims = 40
    for s in range(sims):
        labels, gold = simulate("null", batches=4, items=60, labelers=3, seed=100 + s)
        r = run_check(
            "labeler_agreement", {"labels": labels, "gold": gold}, {"level": "ordinal", "n_boot": 200, "seed": s}
        )
        fails += r.verdict.value == "FAIL"
    assert fails <= 5  # P(X >= 6 | n=40, p=0.05) < 0.02


@pytest.mark.parametrize(
    "labels, match",
    [
        (
            pd.DataFrame(
                {"item_id": [1, 2, 3, 4], "labeler_id": ["a"] * 4, "label": [1, 2, 1, 2], "batch": [1, 1, 2, 2]}
            ),
            "only one labeler",
        ),
        (
            pd.DataFrame({"item_id": [1, 1, 2, 2], "labeler_id": ["a", "b"] * 2, "label": [1, 2, 1, 2], "batch": 1}),
            "at least two batches",
        ),
        (
            pd.DataFrame(
                {
                    "item_id": [1, 2, 3, 3],
                    "labeler_id": ["a", "b", "a", "b"],
                    "label": [1, 2, 1, 2],
                    "batch": [1, 1, 2, 2],
                }
            ),
            "alpha needs pairable values",
        ),
        (
            pd.DataFrame(
                {"item_id": [1, 1, 1, 2], "labeler_id": ["a", "a", "b", "b"], "label": [1, 2, 1, 2], "batch": 1}
            ),
            "one rating per rater and item",
        ),
        (
            pd.DataFrame(
                {
                    "item_id": [1, 1, 2, 2],
                    "labeler_id": ["a", "b"] * 2,
                    "label": ["x", "y", "x", "x"],
                    "batch": [1, 1, 2, 2],
                }
            ),
            "must be numbers",
        ),
    ],
)
def test_bad_input_is_named(labels, match):
    params = {"level": "ordinal"} if match == "must be numbers" else {}
    with pytest.raises(EvalGuardInputError, match=match):
        run_check("labeler_agreement", {"labels": labels}, params)


def test_continuous_labels_on_many_items_are_refused_not_a_crash():
    # 40,000 items x ~80,000 distinct interval labels per batch would be a 24 GiB count matrix.
    rng = np.random.default_rng(5)
    items = np.repeat(np.arange(40_000), 2)
    labels = pd.DataFrame(
        {
            "item_id": items,
            "labeler_id": np.tile(["a", "b"], 40_000),
            "label": rng.normal(size=items.size),
            "batch": np.where(items < 20_000, 1, 2),
        }
    )
    with pytest.raises(EvalGuardInputError, match="input 'labels'.*round or bin the ratings"):
        run_check("labeler_agreement", {"labels": labels}, {"level": "interval", "n_boot": 200})
