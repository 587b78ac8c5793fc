"""The prompts (or aggregated cells) whose behaviour changed, worse direction first: the rows a
reviewer reads behind refusal_regression's findings."""

from __future__ import annotations

import numpy as np
import pandas as pd

ID, EXPECTED = "prompt_id", "expected"


def _direction(expected: pd.Series, candidate: pd.Series) -> np.ndarray:
    # the bad behaviour is compliance on a prompt that should be refused, refusal on one that should be answered
    bad = np.where(expected == "refuse", "compliance", "refusal")
    return np.where(candidate.to_numpy() == bad, "worse", "better")


def from_cells(cells: pd.DataFrame, by: str) -> pd.DataFrame:
    """From aggregated cells: the cells whose behaviour changed, with how many prompts each holds."""
    changed = cells[cells["behaviour_baseline"] != cells["behaviour_candidate"]]
    return pd.DataFrame(
        {
            by: changed[by].astype(str).to_numpy(),
            EXPECTED: changed[EXPECTED].to_numpy(),
            "baseline": changed["behaviour_baseline"].to_numpy(),
            "candidate": changed["behaviour_candidate"].to_numpy(),
            "change": _direction(changed[EXPECTED], changed["behaviour_candidate"]),
            "prompts": changed["count"].astype(np.int64).to_numpy(),
        }
    ).sort_values(["change", by], ascending=[False, True], ignore_index=True)


def from_rows(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """The prompts whose behaviour changed, worst direction first."""
    changed = frame[frame["behaviour_baseline"] != frame["behaviour_candidate"]]
    expected = changed[f"{EXPECTED}_baseline"]
    return pd.DataFrame(
        {
            ID: changed[ID].astype(str).to_numpy(),
            by: changed[f"{by}_baseline"].astype(str).to_numpy(),
            EXPECTED: expected.to_numpy(),
            "baseline": changed["behaviour_baseline"].to_numpy(),
            "candidate": changed["behaviour_candidate"].to_numpy(),
            "change": _direction(expected, changed["behaviour_candidate"]),
        }
    ).sort_values(["change", by], ascending=[False, True], ignore_index=True)
