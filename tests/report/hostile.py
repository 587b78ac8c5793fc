"""A result full of strings that try to break out of HTML, shared by the report tests."""

from airflow_evalguard.publish.artifacts import publish_result
from airflow_evalguard.result import CheckResult, Finding, Metric, SliceResult
from airflow_evalguard.store import ArtifactStore, RunLayout
from airflow_evalguard.verdicts import Verdict

SCRIPT_SLICE = "<script>alert(1)</script>"
IMG_MESSAGE = '"><img src=x onerror=alert(1)>'


def hostile_result(n_slices: int = 3) -> CheckResult:
    slices = [SliceResult(SCRIPT_SLICE, Verdict.FAIL, {"delta": Metric(0.3, 0.1, 0.5, n=40)})]
    slices += [
        SliceResult(
            f"category=c{i}", Verdict.PASS if i % 7 else Verdict.WARN, {"delta": Metric(i / 1000, -0.1, 0.2, n=100)}
        )
        for i in range(n_slices - 1)
    ]
    return CheckResult(
        check="slice_retention",
        verdict=Verdict.FAIL,
        summary=f"summary with {IMG_MESSAGE}",
        metrics={"drop": Metric(0.12, 0.05, 0.2, n=1000), "teacher": Metric(0.8), "slices_regressed": Metric(1)},
        slices=slices,
        findings=[
            Finding("fail", "SLICE_REGRESSION", IMG_MESSAGE, slice=SCRIPT_SLICE),
            Finding("info", "NOTE", "plain text & <b>bold</b>"),
        ],
        params={"note": SCRIPT_SLICE},
        evalguard_version="0.test",
        started_at="2026-11-30T00:00:00+00:00",
        duration_s=0.5,
    )


def store_result(store: ArtifactStore, folder: str, result: CheckResult, *, report: bool = True) -> dict[str, str]:
    """Publish `result` in `folder` of `store`; the artifact URIs it lists."""
    return publish_result(store, RunLayout(folder), result, report=report).artifacts
