"""The one result schema every check returns (`evalguard.result/v1`, docs/architecture.md)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from airflow_evalguard.verdicts import Verdict

SCHEMA_ID = "evalguard.result/v1"
XCOM_MAX_BYTES = 32 * 1024
XCOM_MAX_SLICES = 20
SEVERITIES = ("fail", "warn", "info")


def _clean_number(value: Any) -> Any:
    """JSON has no NaN/inf: they become null so every consumer can parse the result."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Metric:
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None

    def to_dict(self) -> dict:
        out = {"value": _clean_number(self.value)}
        if self.ci_low is not None or self.ci_high is not None:
            out["ci_low"] = _clean_number(self.ci_low)
            out["ci_high"] = _clean_number(self.ci_high)
        if self.n is not None:
            out["n"] = int(self.n)
        return out


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str
    slice: str | None = None

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"finding severity must be one of {SEVERITIES}, got {self.severity!r}")

    def to_dict(self) -> dict:
        return {"severity": self.severity, "code": self.code, "message": self.message, "slice": self.slice}


@dataclass(frozen=True)
class SliceResult:
    slice: str
    verdict: Verdict
    metrics: dict[str, Metric] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "slice": self.slice,
            "verdict": self.verdict.value,
            "metrics": {k: m.to_dict() for k, m in self.metrics.items()},
        }


@dataclass(frozen=True)
class InputFingerprint:
    name: str
    uri: str
    rows: int
    sha256: str

    def to_dict(self) -> dict:
        return {"name": self.name, "uri": self.uri, "rows": int(self.rows), "sha256": self.sha256}


@dataclass(frozen=True)
class CheckResult:
    """A check's decision and the evidence for it, built once (`run.run_check`) and never changed:
    the publish layer lists the artifact URIs in a new result (`dataclasses.replace`).

    `evidence` and `tables` (extra row-level outputs such as re-weighting weights) are pandas
    DataFrames written next to result.json by a store; they are never part of the JSON.
    """

    check: str
    verdict: Verdict
    summary: str
    metrics: dict[str, Metric] = field(default_factory=dict)
    slices: list[SliceResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    inputs: list[InputFingerprint] = field(default_factory=list)
    artifacts: dict[str, str] = field(default_factory=dict)
    evalguard_version: str = ""
    started_at: str = ""
    duration_s: float = 0.0
    evidence: Any = None
    tables: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA_ID,
            "check": self.check,
            "verdict": self.verdict.value,
            "summary": self.summary,
            "metrics": {k: m.to_dict() for k, m in self.metrics.items()},
            "slices": [s.to_dict() for s in self.slices],
            "findings": [f.to_dict() for f in self.findings],
            "params": _jsonable(self.params),
            "inputs": [i.to_dict() for i in self.inputs],
            "artifacts": dict(self.artifacts),
            "evalguard_version": self.evalguard_version,
            "started_at": self.started_at,
            "duration_s": round(float(self.duration_s), 4),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False, sort_keys=False)

    def xcom_summary(self, max_bytes: int = XCOM_MAX_BYTES) -> dict:
        return cap_for_xcom(self.to_dict(), max_bytes=max_bytes)


def _jsonable(value: Any) -> Any:
    """Params echo: plain JSON types only (numpy scalars and tuples come from callers)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, bool)) or value is None:
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, (int, float)):
        return _clean_number(value)
    return str(value)


def _size(obj: dict) -> int:
    return len(json.dumps(obj, allow_nan=False).encode())


def cap_for_xcom(result: dict, max_bytes: int = XCOM_MAX_BYTES) -> dict:
    """The XCom copy: worst 20 slices, then trimmed until it fits in `max_bytes` of JSON.

    What was cut is counted in `truncated`, so a reader knows to open result.json for the rest.
    """
    out = dict(result)
    truncated: dict[str, int] = {}
    slices = sorted(out.get("slices", []), key=lambda s: -Verdict(s["verdict"]).rank)
    if len(slices) > XCOM_MAX_SLICES:
        truncated["slices"] = len(slices) - XCOM_MAX_SLICES
    out["slices"] = slices[:XCOM_MAX_SLICES]
    if truncated:
        out["truncated"] = dict(truncated)
    # Most severe findings first, so halving keeps the ones that explain the verdict.
    order = {sev: i for i, sev in enumerate(SEVERITIES)}
    out["findings"] = sorted(out.get("findings", []), key=lambda f: order.get(f["severity"], 9))
    # Cut in this order; the verdict, summary and artifact URIs always survive.
    for key in ("findings", "slices", "metrics", "params", "inputs"):
        while _size(out) > max_bytes and out.get(key):
            items = out[key]
            if isinstance(items, dict):
                keep = dict(list(items.items())[: len(items) // 2])
                dropped = len(items) - len(keep)
            else:
                keep = items[: len(items) // 2]
                dropped = len(items) - len(keep)
            out[key] = keep
            truncated[key] = truncated.get(key, 0) + dropped
            out["truncated"] = dict(truncated)
    if _size(out) > max_bytes:
        out["summary"] = out["summary"][:1000]
    return out
