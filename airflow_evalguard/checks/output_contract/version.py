"""The contract's version: the same version with different content WARNs (raise the version when a
contract changes); a lower version was refused already when the registry's record was judged."""

from __future__ import annotations

from airflow_evalguard.contracts.loader import Contract
from airflow_evalguard.contracts.versions import VersionCheck
from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict


def version_bump(contract: Contract, version: VersionCheck | None) -> Part:
    if version is None or not version.changed_without_bump:
        return Part()
    finding = Finding(
        "warn",
        "CONTRACT_CHANGED_WITHOUT_VERSION_BUMP",
        f"contract '{contract.name}' version {contract.version} differs from the version "
        f"{contract.version} used before; raise the version when a contract changes",
    )
    return Part(findings=(finding,), validity=(Verdict.WARN,))
