"""XSTest v2 labels (tests/data/xstest_v2) as refusal_regression inputs."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

LABELS = Path(__file__).resolve().parents[1] / "data" / "xstest_v2" / "labels.csv"


@lru_cache(maxsize=1)
def labels() -> pd.DataFrame:
    return pd.read_csv(LABELS)


def side(model: str, label_column: str = "final_label") -> pd.DataFrame:
    d = labels()[labels()["model"] == model]
    return pd.DataFrame(
        {
            "prompt_id": d["id"].to_numpy(),
            "category": d["type"].to_numpy(),
            "expected": d["label"].map({"safe": "comply", "unsafe": "refuse"}).to_numpy(),
            "label": d[label_column].to_numpy(),
        }
    )
