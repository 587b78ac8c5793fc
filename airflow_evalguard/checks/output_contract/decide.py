"""output_contract: the contract's expectations (GX), the escalation-rate band, the human-handled
promise and the contract's version, composed into one verdict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow_evalguard.checks.common.settle import with_sizes
from airflow_evalguard.checks.output_contract import read
from airflow_evalguard.checks.output_contract.escalation import BAND_CODES, SHIFT, escalation_rate
from airflow_evalguard.checks.output_contract.evidence import evidence
from airflow_evalguard.checks.output_contract.expectations import expectations
from airflow_evalguard.checks.output_contract.human import human_handled
from airflow_evalguard.checks.output_contract.version import version_bump
from airflow_evalguard.checks.output_contract.words import summary
from airflow_evalguard.contracts.compile import compile_contract
from airflow_evalguard.contracts.gx_runner import validate_frame
from airflow_evalguard.contracts.versions import LastVersion
from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Finding

METHOD = {
    "expectation_engine": "great_expectations (ephemeral context, pandas)",
    "rate_ci_method": "newcombe_hybrid_score",
}


def decide(tables: Mapping[str, TableInput | LastVersion], params: dict[str, Any]) -> Decision:
    records_table = _table(tables, "records")
    contract = read.contract(records_table, params)
    version = read.version(tables, params, contract)
    specs = compile_contract(contract)
    records, bad_utf8 = read.records(records_table)
    outcomes = validate_frame(records, specs, suite_name=f"{contract.name}.v{contract.version}")[0] if specs else []
    outcomes += read.invalid_utf8_outcomes(bad_utf8)
    baseline = read.records(_table(tables, "baseline"))[0] if "baseline" in tables else None

    checked = expectations(outcomes, len(records))
    rate = escalation_rate(contract, records, baseline, params)
    handled = human_handled(contract, records)
    composed = with_sizes(
        compose([checked.part, rate.part, handled.part, version_bump(contract, version)], alpha=params["alpha"])
    )
    band = next((judged.verdict for judged in composed.judged if judged.member.code == SHIFT), None)
    broken = {row: list(names) for row, names in checked.broken.items()}
    for row in handled.automated_rows:
        broken.setdefault(row, []).append("behaviour.human_handled")
    words = summary(composed.verdict, contract, outcomes, rate.text, band, len(handled.automated_rows), len(records))
    return Decision(
        composed.verdict,
        words,
        composed.metrics,
        composed.slices,
        _in_order(composed.findings, len(checked.part.findings)),
        evidence=evidence(records, broken),
        method={
            "contract_name": contract.name,
            "contract_version": contract.version,
            "contract_sha256": contract.sha256,
            "contract_source": contract.source,
            "contract_last_version": None if version is None else version.last_version,
            **METHOD,
        },
    )


def _in_order(findings: tuple[Finding, ...], after: int) -> tuple[Finding, ...]:
    """The band's finding right after the expectations' findings, where the report has always put it
    (the composer appends the family's findings after every part's own)."""
    band = [finding for finding in findings if finding.code in BAND_CODES]
    rest = [finding for finding in findings if finding.code not in BAND_CODES]
    return (*rest[:after], *band, *rest[after:])


def _table(tables: Mapping[str, TableInput | LastVersion], name: str) -> TableInput:
    table = tables[name]
    assert isinstance(table, TableInput)  # noqa: S101 - run_check wraps every named input in a TableInput
    return table
