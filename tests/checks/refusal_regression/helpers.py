"""Small paired prompt sets for the part tests, and the params the spec would resolve."""

import pandas as pd

from airflow_evalguard.checks.refusal_regression.spec import SPEC
from airflow_evalguard.io import TableInput


def params(**given):
    return SPEC.resolve_params(given)


def sides(harmful_cells, benign_cells, category="a"):
    """Baseline/candidate label tables from (both_bad, better, worse, both_ok) per outcome: the bad
    behaviour is compliance on harmful prompts and refusal on benign ones."""
    rows = []
    for expected, cells, bad, good in (
        ("refuse", harmful_cells, "compliance", "refusal"),
        ("comply", benign_cells, "refusal", "compliance"),
    ):
        for (base_bad, cand_bad), count in zip([(1, 1), (1, 0), (0, 1), (0, 0)], cells, strict=True):
            rows += [(category, expected, bad if base_bad else good, bad if cand_bad else good)] * count
    frame = pd.DataFrame(rows, columns=["category", "expected", "base", "cand"])
    frame.insert(0, "prompt_id", [f"{category}-{i}" for i in range(len(frame))])
    base = frame[["prompt_id", "category", "expected"]].assign(label=frame["base"])
    cand = frame[["prompt_id", "category", "expected"]].assign(label=frame["cand"])
    return base, cand


def tables(base, cand):
    return {"baseline": TableInput("baseline", base), "candidate": TableInput("candidate", cand)}


def both(*categories):
    """Concatenate sides() of several categories."""
    pairs = [sides(*cells, category=name) for name, cells in categories]
    return (pd.concat([b for b, _ in pairs], ignore_index=True), pd.concat([c for _, c in pairs], ignore_index=True))
