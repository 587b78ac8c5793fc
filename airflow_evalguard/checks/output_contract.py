"""output_contract (problem 3): the contract has to outlive the consumer.

An `escalate_to_human` call is a promise: a person will read the reason and act. The promise
breaks in two ways. The records stop matching the contract (a field dropped, a severity nobody
handles): Great Expectations checks those, compiled from the contract file. Or every record is
valid but the world changed around it: the agent escalates half as often as it used to, or the
queue it escalates to is now answered by a bot. GX has no words for those, so we check them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import CheckResult, Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict, gate_rule, validate_bands, worst

EVIDENCE_ROWS = 100
DEFAULT_RATE_BAND = (0.05, 0.10)


def _read_records(table: TableInput) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """All columns (a contract may name any), bytes decoded; and which cells were not UTF-8."""
    from airflow_evalguard.columns.text import decode_frame

    frame = table.read()
    if len(frame) == 0:
        raise EvalGuardInputError(f"input '{table.name}': no rows; a contract on zero records proves nothing",
                                  input_name=table.name)
    return decode_frame(frame.reset_index(drop=True))


def _labels(outcomes) -> list[str]:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.spec.clause] = counts.get(o.spec.clause, 0) + 1
    labels = []
    for o in outcomes:
        short = o.spec.type.removeprefix("expect_").removeprefix("column_values_to_").removeprefix("column_")
        labels.append(o.spec.clause if counts[o.spec.clause] == 1 else f"{o.spec.clause}/{short}")
    return labels


def _invalid_utf8_outcomes(bad: dict[str, np.ndarray]):
    """Cells that were not UTF-8 break any text contract: reported like a failed expectation."""
    from airflow_evalguard.contracts.compile import ExpectationSpec
    from airflow_evalguard.contracts.gx_runner import ExpectationOutcome

    return [ExpectationOutcome(ExpectationSpec("expect_column_values_to_be_utf8", {"column": col}, f"encoding.{col}"),
                               success=False, element_count=len(mask), unexpected_count=int(mask.sum()),
                               unexpected_index=np.flatnonzero(mask).tolist())
            for col, mask in bad.items()]


def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    from airflow_evalguard.contracts.compile import compile_contract
    from airflow_evalguard.contracts.gx_runner import validate_frame
    from airflow_evalguard.contracts.loader import load_contract
    from airflow_evalguard.contracts.registry import check_version, record_version

    records_table = tables["records"]
    if not p["contract"]:
        raise EvalGuardInputError("param 'contract' is required: a contract YAML or a GX suite JSON (path or s3:// URI)")
    contract = load_contract(p["contract"], aws_conn_id=records_table.aws_conn_id)
    registry = _registry(p, records_table.aws_conn_id)
    version = check_version(registry, contract) if registry is not None else None
    specs = compile_contract(contract)
    records, bad_utf8 = _read_records(records_table)
    outcomes = validate_frame(records, specs, suite_name=f"{contract.name}.v{contract.version}")[0] if specs else []
    outcomes += _invalid_utf8_outcomes(bad_utf8)
    baseline = _read_records(tables["baseline"])[0] if "baseline" in tables else None

    labels = _labels(outcomes)
    metrics: dict[str, Metric] = {"records": Metric(len(records)), "expectations": Metric(len(outcomes)),
                                  "expectations_failed": Metric(sum(not o.success for o in outcomes))}
    slices, findings, verdicts = [], [], []
    broken: dict[int, list[str]] = {}
    for label, o in zip(labels, outcomes):
        metrics[f"expectation_success[{label}]"] = Metric(1 if o.success else 0)
        metrics[f"unexpected_count[{label}]"] = Metric(o.unexpected_count or 0, n=o.element_count)
        slice_metrics = {"success": Metric(1 if o.success else 0), "unexpected_count": Metric(o.unexpected_count or 0)}
        if o.element_count:
            slice_metrics["unexpected_share"] = Metric((o.unexpected_count or 0) / o.element_count, n=o.element_count)
        slices.append(SliceResult(f"expectation={label}", Verdict.PASS if o.success else Verdict.FAIL, slice_metrics))
        if o.success:
            continue
        verdicts.append(Verdict.FAIL)
        for row in o.unexpected_index:
            broken.setdefault(int(row), []).append(label)
        findings.append(Finding("fail", "CONTRACT_VIOLATION", _violation_message(label, o), slice=f"expectation={label}"))

    escalation = _escalation_rate(contract, records, baseline, p, metrics, findings, verdicts)
    automated_rows = _human_handled(contract, records, metrics, findings, verdicts)
    for row in automated_rows:
        broken.setdefault(int(row), []).append("behaviour.human_handled")
    if version is not None and version.changed_without_bump:
        verdicts.append(Verdict.WARN)
        findings.append(Finding("warn", "CONTRACT_CHANGED_WITHOUT_VERSION_BUMP",
                                f"contract '{contract.name}' version {contract.version} differs from the version "
                                f"{contract.version} used before; raise the version when a contract changes"))
    verdict = worst(verdicts)
    if registry is not None:  # only a contract that was actually used moves the registry forward
        record_version(registry, contract)
    return CheckResult(
        check="output_contract", verdict=verdict, summary=_summary(verdict, contract, outcomes, escalation, automated_rows,
                                                                   len(records)),
        metrics=metrics, slices=slices, findings=findings, evidence=_evidence(records, broken),
        params={"contract_name": contract.name, "contract_version": contract.version,
                "contract_sha256": contract.sha256, "contract_source": contract.source,
                "contract_last_version": None if version is None else version.last_version,
                "expectation_engine": "great_expectations (ephemeral context, pandas)",
                "rate_ci_method": "newcombe_hybrid_score"},
    )


def _registry(p: dict, aws_conn_id):
    from airflow_evalguard.store import get_store

    return get_store(p["contract_registry"], aws_conn_id=aws_conn_id) if p["contract_registry"] else None


def _violation_message(label: str, o) -> str:
    if o.error:
        return f"{label} ({o.spec.type}) could not be checked: {o.error.splitlines()[0][:300]}"
    rows = o.unexpected_index[:5]
    where = f"; first rows {rows}" if rows else ""
    of = f" of {o.element_count}" if o.element_count is not None else ""
    if o.unexpected_count is None:
        return f"{label} ({o.spec.type}) failed (observed {o.observed!r})"
    return f"{label} ({o.spec.type}): {o.unexpected_count}{of} row(s) break it{where}"


def _escalation_rate(contract, records, baseline, p, metrics, findings, verdicts):
    from airflow_evalguard.contracts.conditions import evaluate, parse_condition
    from airflow_evalguard.stats.two_proportions import newcombe_diff_ci

    spec = contract.behaviour.get("escalation_rate")
    if spec is None:
        return None
    clauses = parse_condition(spec["escalated_when"])
    x_c, n_c = int(evaluate(clauses, records).sum()), len(records)
    metrics["escalation_rate.candidate"] = Metric(x_c / n_c, n=n_c)
    if baseline is None:
        findings.append(Finding("info", "NO_BASELINE", "no baseline records: the escalation rate is reported, not compared"))
        return None
    x_b, n_b = int(evaluate(clauses, baseline).sum()), len(baseline)
    warn_at, fail_at = spec.get("warn_at", p["warn_at"]), spec.get("fail_at", p["fail_at"])
    validate_bands(warn_at, fail_at)
    delta, lo, hi = newcombe_diff_ci(x_b, n_b, x_c, n_c, p["alpha"])
    metrics["escalation_rate.baseline"] = Metric(x_b / n_b, n=n_b)
    metrics["escalation_rate.delta"] = Metric(delta, lo, hi, n=n_c)
    significant = lo > 0 or hi < 0
    # Either direction breaks the contract: fewer escalations strand people, more flood the queue.
    verdict = gate_rule(abs(delta), max(abs(lo), abs(hi)), significant, warn_at, fail_at)
    verdicts.append(verdict)
    text = (f"escalation rate {x_b / n_b:.1%} -> {x_c / n_c:.1%} ({delta:+.1%}, CI {lo:+.1%} to {hi:+.1%}; "
            f"band warn {warn_at:.1%}, fail {fail_at:.1%})")
    if verdict in (Verdict.FAIL, Verdict.WARN):
        findings.append(Finding(verdict.value.lower(), "ESCALATION_RATE_SHIFT", text))
    elif verdict is Verdict.INCONCLUSIVE:
        findings.append(Finding("warn", "ESCALATION_RATE_UNSETTLED", f"{text}: too few records to rule out a shift of "
                                                                     f"{fail_at:.1%}"))
    return {"delta": delta, "lo": lo, "hi": hi, "verdict": verdict, "text": text}


def _human_handled(contract, records, metrics, findings, verdicts) -> list[int]:
    from airflow_evalguard.contracts.conditions import evaluate, parse_condition

    spec = contract.behaviour.get("human_handled")
    if spec is None:
        return []
    column, human = spec.get("column", "resolved_by_type"), spec.get("human_value", "human")
    if column not in records.columns:
        raise EvalGuardInputError(f"input 'records': the contract's human_handled clause reads column '{column}', "
                                  f"which the records do not have", input_name="records", column=column)
    applies = evaluate(parse_condition(spec["applies_when"]), records) if spec.get("applies_when") else \
        records[column].notna().to_numpy()
    applies &= records[column].notna().to_numpy()
    handled = records.loc[applies, column]
    n = int(applies.sum())
    automated = np.flatnonzero(applies)[(handled != human).to_numpy()]
    share = (n - len(automated)) / n if n else float("nan")
    metrics["human_handled_share"] = Metric(share, n=n)
    metrics["automated_handled"] = Metric(len(automated), n=n)
    limit = spec.get("max_automated_share", 0.0)
    if n and len(automated) / n > limit:
        verdicts.append(Verdict.FAIL)
        consumers = records.loc[automated, column].astype(str).value_counts().head(5).to_dict()
        findings.append(Finding("fail", "CONSUMER_AUTOMATED",
                                f"{len(automated)} of {n} escalations meant for a human were handled by "
                                f"{consumers} ({len(automated) / n:.1%} > {limit:.1%} allowed): the escalation "
                                f"contract no longer reaches a person"))
    return automated.tolist()


def _evidence(records: pd.DataFrame, broken: dict[int, list[str]]) -> pd.DataFrame | None:
    from airflow_evalguard.columns.text import printable

    if not broken:
        return None
    rows = sorted(broken)[:EVIDENCE_ROWS]
    out = printable(records.iloc[rows])
    out.insert(0, "broken_expectations", ["; ".join(dict.fromkeys(broken[r])) for r in rows])
    out.insert(0, "row", rows)
    return out.reset_index(drop=True)


def _summary(verdict, contract, outcomes, escalation, automated_rows, n) -> str:
    failed = [o for o in outcomes if not o.success]
    name = f"contract '{contract.name}' v{contract.version}"
    parts = []
    if failed:
        parts.append(f"{len(failed)} of {len(outcomes)} expectations fail")
    if automated_rows:
        parts.append(f"{len(automated_rows)} escalations were answered by an automated consumer")
    if escalation is not None and escalation["verdict"] is not Verdict.PASS:
        parts.append(escalation["text"])
    if verdict is Verdict.PASS:
        tail = f"; {escalation['text']}" if escalation else ""
        return f"{n} records meet {name}: all {len(outcomes)} expectations hold{tail}."
    return f"{n} records vs {name}: " + "; ".join(parts) + "."


SPEC = CheckSpec(
    name="output_contract",
    summary="Do tool-call outputs (e.g. escalate_to_human) still meet their versioned contract, and are escalations "
            "still answered by a person?",
    inputs={
        "records": InputSpec("tool-call output records, one row each, any columns"),
        "baseline": InputSpec("records from the last accepted run (for the escalation-rate band)", required=False),
    },
    params={
        "contract": ParamSpec(None, str, "contract YAML (our language) or GX suite JSON: path or s3:// URI",
                              nullable=True),
        "contract_registry": ParamSpec(None, str, "store root that remembers the last contract version used "
                                                  "(operators default it to their artifact root)", nullable=True),
        "warn_at": ParamSpec(DEFAULT_RATE_BAND[0], float, "escalation-rate change that warns, when the contract "
                                                          "does not set one", minimum=0, maximum=1),
        "fail_at": ParamSpec(DEFAULT_RATE_BAND[1], float, "escalation-rate change that fails, when the contract "
                                                          "does not set one", minimum=0, maximum=1),
        "alpha": ParamSpec(0.05, float, "significance level; CIs are at 1 - alpha", minimum=1e-6, maximum=0.5),
    },
    decide=run,
)
