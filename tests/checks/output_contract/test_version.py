"""output_contract's version part: versions move forward only; a changed contract needs a bump."""

import pytest

from airflow_evalguard.checks.output_contract.version import version_bump
from airflow_evalguard.contracts.loader import ContractError, parse_contract_text
from airflow_evalguard.contracts.versions import LastVersion, judge_version
from airflow_evalguard.verdicts import Verdict


def test_versions_move_forward_only():
    contract = parse_contract_text("name: c\nversion: 2\n", "c.yaml")
    record = {"version": 3, "sha256": "x", "recorded_at": "then"}
    with pytest.raises(ContractError, match="version 2 is lower than version 3"):
        judge_version(LastVersion("c", "mem://r", record), contract)
    same = judge_version(LastVersion("c", "mem://r", {**record, "version": 2}), contract)
    assert same.changed_without_bump and version_bump(contract, same).validity == (Verdict.WARN,)
    assert judge_version(LastVersion("c", "mem://r", None), contract).last_version is None
    with pytest.raises(ContractError, match="changed while the gate ran"):
        judge_version(LastVersion("other", "mem://r", None), contract)
