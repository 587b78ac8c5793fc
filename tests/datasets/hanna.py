"""HANNA story ratings as long-form ratings for rubric_drift and labels for labeler_agreement."""

from pathlib import Path

import pandas as pd

DATA = Path(__file__).parent.parent / "data" / "hanna" / "hanna_extract.csv"
CRITERIA = ["RE", "CH", "EM", "SU", "EG", "CX"]


def load() -> pd.DataFrame:
    return pd.read_csv(DATA)


def period(
    wide: pd.DataFrame,
    name: str,
    humans: list[str],
    judge: str,
    shift: dict | None = None,
    judge_shift: dict | None = None,
) -> pd.DataFrame:
    """One period of ratings: the given human slots and one LLM judge, with optional score shifts
    (`shift` moves humans and judge together, `judge_shift` moves the judge alone)."""
    rows = []
    for c in CRITERIA:
        both = (shift or {}).get(c, 0.0)
        alone = (judge_shift or {}).get(c, 0.0)
        for h in humans:
            rows.append(
                pd.DataFrame(
                    {
                        "item_id": wide["story_id_inferred"],
                        "criterion": c,
                        "rater_type": "human",
                        "rater_id": h,
                        "score": wide[f"{h}_{c}"] + both,
                        "period": name,
                    }
                )
            )
        rows.append(
            pd.DataFrame(
                {
                    "item_id": wide["story_id_inferred"],
                    "criterion": c,
                    "rater_type": "judge",
                    "rater_id": judge,
                    "score": wide[f"llm_{judge}_{c}"] + both + alone,
                    "period": name,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)
