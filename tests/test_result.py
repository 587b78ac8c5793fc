import json
from pathlib import Path

import jsonschema
import pytest

import airflow_evalguard
from airflow_evalguard.result import CheckResult, Finding, InputFingerprint, Metric, SliceResult, cap_for_xcom
from airflow_evalguard.verdicts import Verdict
from tests.schema import assert_valid_result as validate

SCHEMA = json.loads((Path(airflow_evalguard.__file__).parent / "schemas" / "result.v1.json").read_text())


def make_result(n_slices=3, n_findings=2) -> CheckResult:
    return CheckResult(
        check="demo_check",
        verdict=Verdict.WARN,
        summary="Something moved a little.",
        metrics={"tvd[hour_of_day]": Metric(0.12, 0.1, 0.14, n=100), "p": Metric(float("nan"))},
        slices=[
            SliceResult(f"category=c{i}", [Verdict.PASS, Verdict.FAIL, Verdict.WARN][i % 3], {"delta": Metric(i / 10)})
            for i in range(n_slices)
        ],
        findings=[Finding("warn", "SOME_CODE", f"message {i}") for i in range(n_findings)],
        params={"alpha": 0.05, "dims": ("a", "b")},
        inputs=[InputFingerprint("sample", "/tmp/x.parquet", 10, "0" * 64)],
        evalguard_version="0.1.0",
        started_at="2026-11-25T10:00:00+00:00",
        duration_s=0.5,
    )


def test_schema_ships_with_the_package():
    assert SCHEMA["title"] == "evalguard.result/v1"


def test_to_dict_validates_and_is_strict_json():
    result = make_result()
    obj = json.loads(result.to_json())
    validate(obj)
    assert obj["metrics"]["p"]["value"] is None  # NaN is not JSON
    assert obj["params"]["dims"] == ["a", "b"]


def test_schema_rejects_bad_verdict_and_code():
    obj = make_result().to_dict()
    obj["verdict"] = "MAYBE"
    with pytest.raises(jsonschema.ValidationError):
        validate(obj)
    obj = make_result().to_dict()
    obj["findings"][0]["code"] = "lower case"
    with pytest.raises(jsonschema.ValidationError):
        validate(obj)


def test_finding_severity_is_checked():
    with pytest.raises(ValueError):
        Finding("error", "X", "y")


def test_xcom_summary_keeps_worst_20_slices_and_fits_32k():
    result = make_result(n_slices=300, n_findings=2000)
    summary = result.xcom_summary()
    assert len(json.dumps(summary).encode()) <= 32 * 1024
    assert len(summary["slices"]) <= 20
    assert summary["slices"][0]["verdict"] == "FAIL"
    assert summary["truncated"]["slices"] >= 280
    assert summary["truncated"]["findings"] > 0
    assert summary["verdict"] == "WARN" and summary["summary"]
    validate(summary)


def test_small_result_is_not_truncated():
    summary = cap_for_xcom(make_result().to_dict())
    assert "truncated" not in summary
    assert summary == {**make_result().to_dict(), "slices": summary["slices"]}


def test_a_result_is_built_once_and_never_changed():
    import dataclasses

    result = make_result()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.artifacts = {"result": "/x/result.json"}  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.inputs[0].rows = 11  # type: ignore[misc]
    published = dataclasses.replace(result, artifacts={"result": "/x/result.json"})
    assert published.artifacts == {"result": "/x/result.json"} and result.artifacts == {}
