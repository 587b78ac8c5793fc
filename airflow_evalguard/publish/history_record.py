"""One history record: what the history pages need of one gate try, small enough to read by the thousand.

A record is built from the result dict (the same one result.json holds), so the record written
when a result is published and the one `history rebuild` makes from the stored result.json are
the same. Reading a record back validates every field: the index is data from a store, and a
corrupt or foreign record is skipped (and counted by the reader), never trusted.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from airflow_evalguard.checks import get_check
from airflow_evalguard.store.history_keys import gate_token, stamp_of
from airflow_evalguard.store.layout import GateKey

RECORD_VERSION = 1
VERDICTS = ("PASS", "WARN", "FAIL", "INCONCLUSIVE")
TOP_FINDINGS = 5
MAX_TEXT = 300  # characters of the top finding and the summary a record keeps
_SEVERITY_ORDER = {"fail": 0, "warn": 1, "info": 2}

# The metric a history plots for each check, and the params that hold its warn and fail lines
# (a name, or a name and an index into a [warn, fail] list). Checks not listed plot their first
# headline metric the result has, with `warn_at`/`fail_at` when the result's params hold them.
HEADLINE: dict[str, tuple[str, Any, Any]] = {
    "sampling_window": ("tvd[hour_of_day]", "warn_at", "fail_at"),
    "slice_retention": ("drop", "warn_at", "fail_at"),
    "refusal_regression": ("harmful_compliance_rate.delta", "harmful_warn_at", "harmful_fail_at"),
    "rubric_drift": ("composite_change", "warn_at", "fail_at"),
    "labeler_agreement": ("trend.alpha", "warn_at", "fail_at"),
    "judge_drift": ("anchor_shift", ("max_shift", 0), ("max_shift", 1)),
    "embedding_drift": ("neighbor_overlap@10", "min_overlap_warn", "min_overlap_fail"),
    "feedback_provenance": ("rejected_share", None, "max_rejected_share"),
    "output_contract": ("escalation_rate.delta", "warn_at", "fail_at"),
    "assignment_integrity": ("srm_p", None, None),
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _param(params: Any, ref: Any) -> float | None:
    if ref is None or not isinstance(params, dict):
        return None
    if isinstance(ref, tuple):
        values = params.get(ref[0])
        return _number(values[ref[1]]) if isinstance(values, list) and len(values) > ref[1] else None
    return _number(params.get(ref))


def _headline_names(check: str) -> list[str]:
    try:  # the spec names the metrics a summary shows first; an unknown check has none
        return list(get_check(check).headline)
    except Exception:  # noqa: BLE001 - a result of a check this version does not know
        return []


def headline(result: dict[str, Any]) -> dict[str, Any] | None:
    """{name, value, ci_low, ci_high, warn_at, fail_at} of the metric a history plots, or None."""
    check = str(result.get("check", ""))
    given = result.get("metrics")
    metrics: dict[str, Any] = given if isinstance(given, dict) else {}
    name, warn_ref, fail_ref = HEADLINE.get(check, (None, "warn_at", "fail_at"))
    candidates = [name] if name else []
    candidates += _headline_names(check) + list(metrics)
    chosen = next((c for c in candidates if isinstance(metrics.get(c), dict)), None)
    if chosen is None:
        return None
    metric = metrics[chosen]
    params = result.get("params")
    return {
        "name": chosen,
        "value": _number(metric.get("value")),
        "ci_low": _number(metric.get("ci_low")),
        "ci_high": _number(metric.get("ci_high")),
        "warn_at": _param(params, warn_ref) if chosen == name or not name else None,
        "fail_at": _param(params, fail_ref) if chosen == name or not name else None,
    }


def finished_at(result: dict[str, Any]) -> datetime:
    """When the check finished (started_at + duration); now when the result does not say."""
    try:
        started = datetime.fromisoformat(str(result.get("started_at")))
        duration = _number(result.get("duration_s")) or 0.0
        return (started if started.tzinfo else started.replace(tzinfo=UTC)) + timedelta(seconds=duration)
    except (ValueError, OverflowError):
        return datetime.now(UTC)


def build_record(gate: GateKey, result: dict[str, Any]) -> dict[str, Any]:
    """The record of one published gate try (`result` as result.json holds it)."""
    findings = [f for f in result.get("findings") or [] if isinstance(f, dict)]
    findings.sort(key=lambda f: _SEVERITY_ORDER.get(str(f.get("severity")), 9))
    serious = [f for f in findings if f.get("severity") in ("fail", "warn")]
    return {
        "v": RECORD_VERSION,
        "dag_id": gate.dag_id,
        "run_id": gate.run_id,
        "task_id": gate.task_id,
        "map_index": gate.map_index,
        "try_number": gate.try_number,
        "check": str(result.get("check", "")),
        "verdict": result.get("verdict"),
        "headline": headline(result),
        # distinct codes, most severe first (one code is often reported per dimension or slice)
        "findings": list(dict.fromkeys(str(f.get("code", ""))[:80] for f in serious))[:TOP_FINDINGS],
        "top_finding": str(serious[0].get("message", ""))[:MAX_TEXT] if serious else "",
        "summary": str(result.get("summary", ""))[:MAX_TEXT],
        "result_uri": str((result.get("artifacts") or {}).get("result", "")),
        "at": stamp_of(finished_at(result)),
        "token": gate_token(gate.dag_id, gate.run_id, gate.task_id, gate.map_index, gate.try_number),
    }


_ID_FIELDS = ("dag_id", "run_id", "task_id", "check", "result_uri", "summary", "top_finding", "at", "token")


def _valid_headline(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return False
    numbers = ("value", "ci_low", "ci_high", "warn_at", "fail_at")
    return all(value.get(k) is None or _number(value.get(k)) is not None for k in numbers)


def valid_record(record: Any, dag_id: str, oldest: str, newest: str) -> bool:
    """Whether `record` (parsed JSON) is a record this version reads, of the DAG whose folder it
    was found in, with a time inside the range its object's name claims."""
    if not isinstance(record, dict) or record.get("v") != RECORD_VERSION:
        return False
    if not all(isinstance(record.get(k), str) for k in _ID_FIELDS) or record["dag_id"] != dag_id:
        return False
    map_index, try_number = record.get("map_index"), record.get("try_number")
    if type(map_index) is not int or map_index < -1 or type(try_number) is not int or try_number < 1:
        return False
    findings = record.get("findings")
    if not isinstance(findings, list) or not all(isinstance(code, str) for code in findings):
        return False
    expected = gate_token(dag_id, record["run_id"], record["task_id"], map_index, try_number)
    return (
        record.get("verdict") in VERDICTS
        and record["token"] == expected
        and oldest <= record["at"] <= newest
        and _valid_headline(record.get("headline"))
    )
