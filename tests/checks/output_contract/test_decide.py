"""output_contract: GX-compiled contract clauses, the escalation band, and the human-handled promise."""

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.demo.data_contracts import tool_calls
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.registries import after_check, before_check
from airflow_evalguard.run import run_check
from airflow_evalguard.store import get_store
from tests.conftest import REPO
from tests.schema import assert_valid_result

CONTRACT = str(REPO / "dags" / "contracts" / "escalate_to_human.yaml")


def _run(records, baseline=None, contract=CONTRACT, **params):
    inputs = {"records": records} if baseline is None else {"records": records, "baseline": baseline}
    return run_check("output_contract", inputs, {"contract": contract, **params})


def _codes(result):
    return {f.code for f in result.findings}


@pytest.fixture(scope="module")
def healthy():
    return tool_calls(None, seed=1), tool_calls(None, seed=1, run="baseline")


def test_healthy_records_from_parquet_pass(healthy, tmp_path):
    records, baseline = healthy
    records.to_parquet(tmp_path / "r.parquet")  # read back as categoricals, as in production
    baseline.to_parquet(tmp_path / "b.parquet")
    result = _run(str(tmp_path / "r.parquet"), str(tmp_path / "b.parquet"))
    assert result.verdict.value == "PASS", result.summary
    assert_valid_result(result)
    assert result.metrics["expectations_failed"].value == 0
    assert all(result.metrics[k].value == 1 for k in result.metrics if k.startswith("expectation_success["))
    assert result.metrics["human_handled_share"].value == 1.0
    assert result.evidence is None
    assert result.params["contract_version"] == 3 and result.params["contract_sha256"]


def test_each_kind_of_clause_catches_its_rows(healthy):
    records = healthy[0].copy()
    esc = np.flatnonzero(records["tool"] == "escalate_to_human")
    records.loc[3, "tool"] = "delete_account"  # enum
    urgent = np.flatnonzero(records["severity"].isin(["high", "critical"]))
    records.loc[esc[~np.isin(esc, urgent)][0], "handoff_target"] = "billing"  # regex
    records.loc[7, "call_id"] = None  # required
    records.loc[9, "call_id"] = records.loc[10, "call_id"]  # unique
    records.loc[11, "confidence"] = 1.5  # range
    records.loc[esc[1], "reason"] = "   "  # rule: reason is not empty (blank)
    records.loc[urgent[0], "handoff_target"] = None  # rule: high severity names a queue
    records.loc[esc[2], "severity"] = None  # rule: escalations carry a severity
    result = _run(records)
    assert result.verdict.value == "FAIL"
    failed = {
        k.removeprefix("expectation_success[").rstrip("]")
        for k, m in result.metrics.items()
        if k.startswith("expectation_success[") and m.value == 0
    }
    assert failed == {
        "fields.tool.enum",
        "fields.handoff_target.regex",
        "fields.call_id.required",
        "fields.call_id.unique",
        "fields.confidence.range",
        "rules.1/match_regex",
        "rules.2",
        "rules.0",
    }
    evidence = result.evidence.set_index("row")
    assert "fields.tool.enum" in evidence.loc[3, "broken_expectations"]
    assert "rules.2" in evidence.loc[urgent[0], "broken_expectations"]
    assert evidence.loc[11, "broken_expectations"] == "fields.confidence.range"
    assert result.metrics["unexpected_count[fields.call_id.unique]"].value == 2


def test_type_clause_catches_a_wrong_value_type(healthy):
    records = healthy[0].copy()
    records["confidence"] = records["confidence"].astype(object)
    records.loc[4, "confidence"] = "very high"
    result = _run(records)
    assert result.metrics["expectation_success[fields.confidence.type]"].value == 0
    assert result.evidence["row"].tolist()[:1] == [4]


def test_evidence_is_capped_at_100_rows(healthy):
    records = healthy[0].copy()
    records["tool"] = "bogus"
    result = _run(records)
    assert len(result.evidence) == 100
    assert result.metrics["unexpected_count[fields.tool.enum]"].value == len(records)


def test_escalation_rate_shift_fails_and_small_samples_are_inconclusive(healthy):
    records, baseline = healthy
    more = records.copy()
    answers = np.flatnonzero(more["tool"] == "answer")[:400]
    more.loc[answers, ["tool", "severity", "reason"]] = ["escalate_to_human", "low", "customer asked for a person"]
    result = _run(more, baseline)
    assert result.verdict.value == "FAIL" and "ESCALATION_RATE_SHIFT" in _codes(result)
    delta = result.metrics["escalation_rate.delta"]
    assert delta.ci_low > 0.06 and delta.value == pytest.approx(
        result.metrics["escalation_rate.candidate"].value - result.metrics["escalation_rate.baseline"].value
    )


def test_escalation_rate_on_small_samples_is_inconclusive(tmp_path):
    contract = tmp_path / "rate.yaml"
    contract.write_text(
        "name: rate\nversion: 1\nbehaviour:\n  escalation_rate:\n"
        '    escalated_when: tool == "escalate_to_human"\n    warn_at: 0.03\n    fail_at: 0.06\n'
    )
    base = pd.DataFrame({"tool": ["escalate_to_human"] * 7 + ["answer"] * 53})
    cand = pd.DataFrame({"tool": ["escalate_to_human"] * 12 + ["answer"] * 48})
    result = _run(cand, base, contract=str(contract))
    delta = result.metrics["escalation_rate.delta"]
    assert delta.ci_low < 0 < 0.06 <= delta.ci_high
    assert result.verdict.value == "INCONCLUSIVE" and "ESCALATION_RATE_UNSETTLED" in _codes(result)


def test_without_baseline_the_rate_is_reported_not_compared(healthy):
    result = _run(healthy[0])
    assert "escalation_rate.candidate" in result.metrics and "escalation_rate.delta" not in result.metrics
    assert "NO_BASELINE" in _codes(result)


def test_automated_consumer_answering_escalations_fails(healthy):
    records = tool_calls("escalation_consumer_automated", seed=1)
    result = _run(records, healthy[1])
    assert result.verdict.value == "FAIL" and "CONSUMER_AUTOMATED" in _codes(result)
    automated = records["resolved_by_type"].eq("automation")
    assert result.metrics["automated_handled"].value == int(automated.sum())
    assert set(result.evidence["row"]) <= set(np.flatnonzero(automated))
    assert (result.evidence["broken_expectations"] == "behaviour.human_handled").all()
    # every field is still valid: only the behavioural clause caught it
    assert result.metrics["expectations_failed"].value == 0


def test_escalation_band_null_calibration(tmp_path):
    """Baseline and candidate from the same process: false FAILs at most alpha (binomial tolerance)."""
    contract = tmp_path / "rate.yaml"
    contract.write_text(
        "name: rate\nversion: 1\nbehaviour:\n  escalation_rate:\n"
        '    escalated_when: tool == "escalate_to_human"\n    warn_at: 0.02\n    fail_at: 0.04\n'
    )
    rng = np.random.default_rng(11)
    sims, fails = 300, 0
    for _ in range(sims):
        frames = [
            pd.DataFrame({"tool": np.where(rng.random(800) < 0.12, "escalate_to_human", "answer")}) for _ in range(2)
        ]
        fails += _run(frames[0], frames[1], contract=str(contract)).verdict.value == "FAIL"
    # alpha = 0.05; 300 simulations: the 99th percentile of Binomial(300, 0.05) is 24
    assert fails <= 24, fails


def _run_registered(records, contract, registry):
    """As the operator and the CLI run it: the registry is read before the check and written after."""
    inputs, params = {"records": records}, {"contract": contract, "contract_registry": registry}
    extra = before_check("output_contract", inputs, params, get_store)
    result = run_check("output_contract", {**inputs, **extra}, params)
    after_check("output_contract", params, result, get_store)
    return result


def test_contract_version_may_not_go_back(healthy, tmp_path):
    registry = str(tmp_path / "store")
    v3 = tmp_path / "v3.yaml"
    v3.write_text(Path(CONTRACT).read_text())
    _run_registered(healthy[0], str(v3), registry)
    v2 = tmp_path / "v2.yaml"
    v2.write_text(v3.read_text().replace("version: 3", "version: 2"))
    with pytest.raises(EvalGuardInputError, match="version 2 is lower than version 3"):
        _run_registered(healthy[0], str(v2), registry)
    changed = tmp_path / "v3b.yaml"
    changed.write_text(v3.read_text().replace("max_length: 4000", "max_length: 3000"))
    result = _run_registered(healthy[0], str(changed), registry)
    assert result.verdict.value == "WARN" and "CONTRACT_CHANGED_WITHOUT_VERSION_BUMP" in _codes(result)
    assert result.params["contract_last_version"] == 3


def test_a_registry_is_read_by_the_shell_not_the_check(healthy, tmp_path):
    with pytest.raises(EvalGuardInputError, match="registry is read by the shell"):
        _run(healthy[0], contract_registry=str(tmp_path / "store"))


def test_hostile_text_non_utf8_and_megabyte_cells(healthy):
    records = healthy[0].copy()
    esc = np.flatnonzero(records["tool"] == "escalate_to_human")
    records["reason"] = records["reason"].astype(object)
    records.loc[esc[0], "reason"] = "<script>alert(1)</script> customer wants a person"
    records.loc[esc[1], "reason"] = "x" * 1_000_000
    records.loc[esc[2], "reason"] = b"caf\xe9 au lait"
    result = _run(records)
    assert result.metrics["expectation_success[fields.reason.length]"].value == 0  # 1 MB > 4000 chars
    assert result.metrics["unexpected_count[encoding.reason]"].value == 1
    evidence = result.evidence.set_index("row")
    assert len(evidence.loc[esc[1], "reason"]) < 1000  # cut for people to read
    assert "encoding.reason" in evidence.loc[esc[2], "broken_expectations"]
    assert len(result.to_json()) < 200_000
    assert_valid_result(result)


def test_gx_suite_json_runs_directly(healthy, tmp_path):
    suite = {
        "name": "calls",
        "meta": {"version": 1},
        "expectations": [
            {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "tool", "value_set": ["answer"]}}
        ],
    }
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite))
    result = _run(healthy[0], contract=str(path))
    assert result.verdict.value == "FAIL"
    assert result.metrics["unexpected_count[expectations.0]"].value == int((healthy[0]["tool"] != "answer").sum())


def test_gx_writes_nothing_in_the_working_directory(healthy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _run(healthy[0].head(200))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "records,params,message",
    [
        (pd.DataFrame({"tool": []}), {}, "no rows"),
        (pd.DataFrame({"tool": ["answer"]}), {"contract": None}, "param 'contract' is required"),
        (pd.DataFrame({"x": ["answer"]}), {"contract": "behaviour_only"}, "column 'tool'"),
    ],
)
def test_bad_input(records, params, message, tmp_path):
    contract = tmp_path / "b.yaml"
    contract.write_text("name: b\nversion: 1\nbehaviour:\n  escalation_rate:\n    escalated_when: tool == 'x'\n")
    if params.get("contract") == "behaviour_only":
        params = {"contract": str(contract)}
    with pytest.raises(EvalGuardInputError, match=message):
        run_check("output_contract", {"records": records}, {"contract": CONTRACT, **params})
