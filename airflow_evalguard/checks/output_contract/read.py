"""output_contract's inputs: the contract (through the shell's reader), the records, and what the
contract registry remembered (handed in by the shell, never read here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.columns.text import decode_frame
from airflow_evalguard.contracts.compile import ExpectationSpec
from airflow_evalguard.contracts.gx_runner import ExpectationOutcome
from airflow_evalguard.contracts.loader import Contract, load_contract
from airflow_evalguard.contracts.versions import LastVersion, VersionCheck, judge_version
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput

LAST_VERSION = "contract_last_version"  # the input `registries.before_check` hands in


def contract(records: TableInput, params: dict[str, Any]) -> Contract:
    """The contract `params` names, read through the reader that reads the records."""
    if not params["contract"]:
        raise EvalGuardInputError(
            "param 'contract' is required: a contract YAML or a GX suite JSON (path or s3:// URI)"
        )
    return load_contract(params["contract"], reader=records.reader)


def version(
    tables: Mapping[str, TableInput | LastVersion], params: dict[str, Any], used: Contract
) -> VersionCheck | None:
    """The contract's version judged against the registry's record (None without a registry)."""
    if not params["contract_registry"]:
        return None
    last = tables.get(LAST_VERSION)
    if not isinstance(last, LastVersion):
        raise EvalGuardInputError(
            "param 'contract_registry': the registry is read by the shell before the check; run the gate through "
            "its operator or the CLI, or pass airflow_evalguard.registries.before_check(...) into the inputs"
        )
    return judge_version(last, used)


def records(table: TableInput) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """All columns (a contract may name any), bytes decoded; and which cells were not UTF-8."""
    frame = table.read()
    if len(frame) == 0:
        raise EvalGuardInputError(
            f"input '{table.name}': no rows; a contract on zero records proves nothing", input_name=table.name
        )
    return decode_frame(frame.reset_index(drop=True))


def invalid_utf8_outcomes(bad: dict[str, np.ndarray]) -> list[ExpectationOutcome]:
    """Cells that were not UTF-8 break any text contract: reported like a failed expectation."""
    return [
        ExpectationOutcome(
            ExpectationSpec("expect_column_values_to_be_utf8", {"column": col}, f"encoding.{col}"),
            success=False,
            element_count=len(mask),
            unexpected_count=int(mask.sum()),
            unexpected_index=np.flatnonzero(mask).tolist(),
        )
        for col, mask in bad.items()
    ]
