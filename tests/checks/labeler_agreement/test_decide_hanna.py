"""labeler_agreement on HANNA's three human rater slots, story-generating systems as batches.

HANNA has no timestamps; the systems stand in for batches. Human agreement on story ratings is
known to be low (Chhun et al. 2022), and nothing makes it homogenize across systems.
"""

import pandas as pd
import pytest

from airflow_evalguard.run import run_check
from tests.datasets.hanna import load


@pytest.fixture(scope="module")
def labels():
    wide = load()
    order = list(dict.fromkeys(wide["system"]))
    frames = [
        pd.DataFrame(
            {
                "item_id": wide["story_id_inferred"],
                "labeler_id": f"human{h}",
                "label": wide[f"human{h}_CH"],
                "batch": wide["system"],
            }
        )
        for h in (1, 2, 3)
    ]
    return pd.concat(frames, ignore_index=True), order


def test_no_homogenization_across_systems(labels):
    df, order = labels
    r = run_check("labeler_agreement", {"labels": df}, {"level": "ordinal", "batch_order": order, "n_boot": 300})
    assert r.verdict.value == "PASS", r.summary
    assert len(r.slices) == 11
    assert [s.slice for s in r.slices] == [f"batch={b}" for b in order]


def test_alpha_per_system_matches_the_krippendorff_package(labels):
    krippendorff = pytest.importorskip("krippendorff")
    df, order = labels
    r = run_check("labeler_agreement", {"labels": df}, {"level": "interval", "batch_order": order, "n_boot": 200})
    for s in r.slices[:4]:
        b = df[df["batch"] == s.slice.split("=", 1)[1]]
        matrix = b.pivot(index="labeler_id", columns="item_id", values="label").to_numpy(dtype=float)
        assert s.metrics["alpha"].value == pytest.approx(
            krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval"), abs=1e-10
        )
