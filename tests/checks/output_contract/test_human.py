"""output_contract's human-handled share, counted by hand."""

import pandas as pd
import pytest

from airflow_evalguard.checks.output_contract.human import human_handled
from airflow_evalguard.contracts.loader import parse_contract_text
from airflow_evalguard.verdicts import Verdict


def test_human_handled_counts_by_hand():
    contract = parse_contract_text(
        "name: h\nversion: 1\nbehaviour:\n  human_handled:\n"
        '    applies_when: tool == "esc"\n    max_automated_share: 0.2\n',
        "c.yaml",
    )
    records = pd.DataFrame(
        {"tool": ["esc"] * 5 + ["answer"], "resolved_by_type": ["human", "human", "bot", "bot", None, "bot"]}
    )
    handled = human_handled(contract, records)
    # applies: rows 0-3 (row 4 has no resolver, row 5 is not an escalation); automated: rows 2, 3
    assert handled.automated_rows == (2, 3)
    assert handled.part.metrics["human_handled_share"].value == pytest.approx(0.5)
    assert handled.part.validity == (Verdict.FAIL,)  # 2/4 = 50% > 20%
