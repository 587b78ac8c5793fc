"""Synthetic measurement-instrument data for the judge, rubric and labeler gates.

- Judge records and anchors: the eval is scored by a pinned judge snapshot, and a fixed anchor
  set is re-scored by the judge as it is now. Fault `judge_silently_updated`: the endpoint moves
  to a new snapshot part-way through the eval, and the new snapshot scores 0.5 higher.
- Rubric ratings in two periods (4 criteria, humans + judge). Fault `rubric_two_axis_drift`:
  humans read "helpfulness" more generously (the judge follows: rubric axis), while the judge
  alone grows stricter on "safety" (judge axis); the equal-weight composite barely moves.
- Labeler batches (6 batches, 4 labelers, gold items). Fault `labelers_homogenize`: labelers
  drift toward a shared shortcut mark that ignores the item, so they agree more and measure less.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PINNED_JUDGE = "judge-2026-05-13"
NEW_JUDGE = "judge-2026-09-02"
CRITERIA = ("helpfulness", "safety", "clarity", "accuracy")


def judge_records(fault: str | None, seed: int = 0, n: int = 2_000, n_anchors: int = 400):
    rng = np.random.default_rng(seed + 50)
    updated = fault == "judge_silently_updated"
    quality = rng.integers(1, 6, n)
    model = np.where(updated & (np.arange(n) >= n // 2), NEW_JUDGE, PINNED_JUDGE)
    score = np.clip(quality + rng.choice([-1, 0, 0, 0, 1], n) + (model == NEW_JUDGE) * 0.5, 1, 5).astype(float)
    score[rng.random(n) < 0.004] = np.nan  # the judge's unparseable outputs: counted, not dropped
    scores = pd.DataFrame({"item_id": [f"e{i:05d}" for i in range(n)], "judge_model": model, "score": score})
    ref = rng.integers(1, 6, n_anchors).astype(float)
    wobble = rng.choice([-1, 0, 0, 0, 0, 0, 0, 0, 0, 1], n_anchors)
    current = np.clip(
        ref + wobble + (0.5 if updated else 0.0) + (rng.random(n_anchors) < 0.5) * (0.5 if updated else 0.0), 1, 5
    )
    anchors = pd.DataFrame(
        {"item_id": [f"a{i:04d}" for i in range(n_anchors)], "reference_score": ref, "score": np.round(current)}
    )
    return scores, anchors


def judge_endpoint_snapshot(run_dir: str) -> str:
    """What the demo's judge endpoint reports now (JudgeSnapshotSensor's callable)."""
    from pathlib import Path

    return (Path(run_dir) / "judge_endpoint.txt").read_text().strip()


def rubric_ratings(fault: str | None, seed: int = 0, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 60)
    drift = fault == "rubric_two_axis_drift"
    truth = {c: rng.normal(3.2, 0.7, n) for c in CRITERIA}
    frames = []
    for period in ("2026-10", "2026-11"):
        later = period == "2026-11" and drift
        for c in CRITERIA:
            rubric = 0.6 if later and c == "helpfulness" else 0.0
            judge_only = -0.6 if later and c == "safety" else 0.0
            for h in ("h1", "h2", "h3"):
                frames.append(
                    pd.DataFrame(
                        {
                            "item_id": np.arange(n),
                            "criterion": c,
                            "rater_type": "human",
                            "rater_id": h,
                            "period": period,
                            "score": np.clip(truth[c] + rubric + rng.normal(0, 0.5, n), 1, 5),
                        }
                    )
                )
            frames.append(
                pd.DataFrame(
                    {
                        "item_id": np.arange(n),
                        "criterion": c,
                        "rater_type": "judge",
                        "rater_id": "judge",
                        "period": period,
                        "score": np.clip(truth[c] + rubric + judge_only + 0.2 + rng.normal(0, 0.4, n), 1, 5),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def labeler_batches(fault: str | None, seed: int = 0, batches: int = 6, items: int = 200, labelers: int = 4):
    rng = np.random.default_rng(seed + 70)
    homogenize = fault == "labelers_homogenize"
    rows, gold = [], []
    for b in range(batches):
        pull = 0.85 * b / (batches - 1) if homogenize else 0.0
        for i in range(items):
            grade = int(rng.integers(1, 6))
            shortcut = int(rng.integers(3, 5))  # a shared mark from a surface cue, not the grade
            together = rng.random() < pull  # the group takes the shortcut on this item
            item = f"b{b}-i{i:03d}"
            gold.append((item, grade))
            for lab in range(labelers):
                # where they do read the item, they also copy each other: less independent noise
                noisy = rng.random() < 0.5 * (1 - pull)
                read = grade + (int(rng.choice([-1, 1])) if noisy else 0)
                rows.append(
                    (item, f"labeler{lab}", int(np.clip(shortcut if together else read, 1, 5)), f"2026-W{40 + b}")
                )
    return (
        pd.DataFrame(rows, columns=["item_id", "labeler_id", "label", "batch"]),
        pd.DataFrame(gold, columns=["item_id", "label"]),
    )
