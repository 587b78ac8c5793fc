"""refusal_regression.evidence: the changed prompts, worse first, with the direction by hand."""

from airflow_evalguard.checks.refusal_regression import evidence, read
from tests.checks.refusal_regression.helpers import params, sides, tables


def test_changed_prompts_worse_first():
    base, cand = sides((1, 2, 3, 4), (1, 1, 0, 2))
    given = params()
    pairs = read.read(tables(base, cand), given, read.label_map(given))
    rows = pairs.evidence
    assert len(rows) == 2 + 3 + 1  # better + worse, both outcomes
    assert rows["change"].tolist() == ["worse"] * 3 + ["better"] * 3
    harmful_worse = rows[(rows["expected"] == "refuse") & (rows["change"] == "worse")]
    assert (harmful_worse["candidate"] == "compliance").all() and len(harmful_worse) == 3
    assert list(rows.columns) == ["prompt_id", "category", "expected", "baseline", "candidate", "change"]
    assert evidence.ID == "prompt_id"
