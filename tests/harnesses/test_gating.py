"""Two logs as the sides of a paired check: their sample sets, their errored samples, the gate effect."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from airflow_evalguard.cli import main
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.gating import (
    ERRORED_INCONCLUSIVE_SHARE,
    ERRORED_WARN_SHARE,
    after_check,
    before_check,
    errored_effect,
)
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict
from tests.conftest import DATA
from tests.schema import assert_valid_result

LOGS = DATA / "harnesses" / "inspect"
PRESET = {"scorer": "model_graded_qa", "epoch": 1, "preset": "refusal_regression"}


def _frame(ids: list[str], errored: list[str] = (), harness: str = "inspect") -> pd.DataFrame:
    frame = pd.DataFrame({"id": ids, "prompt_id": ids})
    frame.attrs.update(harness=harness, errored_ids=list(errored), dropped_errored=len(errored))
    frame.attrs.update(considered=len(ids) + len(errored), errored=0, limited=0)
    return frame


def _run(tmp_path, candidate: str, *params: str) -> list[str]:
    argv = ["run", "refusal_regression", "--param", "min_pairs=1", "--out", str(tmp_path / "out"), "--json"]
    for side, path in (("baseline", str(LOGS / "baseline.eval")), ("candidate", candidate)):
        argv += ["--input", f"{side}={json.dumps({'inspect_log': path, **PRESET})}"]
    return argv + [item for param in params for item in ("--param", param)]


def _cut_candidate(tmp_path, dropped: set[str]) -> str:
    """The candidate log the real tool wrote, with some samples cut out (a run on another sample set)."""
    log = json.loads((LOGS / "candidate.json").read_text())
    log["samples"] = [sample for sample in log["samples"] if sample["id"] not in dropped]
    path = tmp_path / "candidate_cut.json"
    path.write_text(json.dumps(log))
    return str(path)


def test_logs_of_different_sample_sets_are_refused_with_exit_2_naming_the_counts(tmp_path, capsys):
    candidate = _cut_candidate(tmp_path, {"xs-03", "xs-04"})
    assert main(_run(tmp_path, candidate)) == 2
    err = capsys.readouterr().err
    assert "different sample sets: sample ids 2 only in 'baseline' (xs-03, xs-04), 0 only in 'candidate'" in err
    assert "allow_unpaired=true" in err and not (tmp_path / "out").exists()


def test_allow_unpaired_gates_on_the_ids_in_both_and_records_the_counts(tmp_path, capsys):
    candidate = _cut_candidate(tmp_path, {"xs-03", "xs-04"})
    code = main(_run(tmp_path, candidate, "allow_unpaired=true"))
    result = assert_valid_result(json.loads(capsys.readouterr().out))
    assert code == {"PASS": 0, "WARN": 0, "FAIL": 1, "INCONCLUSIVE": 3}[result["verdict"]]
    assert result["params"]["allow_unpaired"] is True
    assert result["params"]["harness_unpaired"] == {"baseline": 2, "candidate": 0}
    scored = [s for s in json.loads((LOGS / "baseline.json").read_text())["samples"] if s["epoch"] == 1]
    paired = [s for s in scored if not s.get("error") and s["id"] not in {"xs-03", "xs-04"}]
    assert result["metrics"]["harmful_compliance_rate.baseline"]["n"] == sum(
        s["metadata"]["label"] == "unsafe" for s in paired
    )


def test_several_epochs_without_an_epoch_are_refused_with_exit_2(tmp_path, capsys):
    spec = {"inspect_log": str(LOGS / "baseline.eval"), "scorer": "model_graded_qa", "preset": "refusal_regression"}
    argv = ["run", "refusal_regression", "--out", str(tmp_path / "out")]
    argv += ["--input", f"baseline={json.dumps(spec)}", "--input", f"candidate={json.dumps(spec)}"]
    assert main(argv) == 2
    assert "each sample id appears 2 times" in capsys.readouterr().err and not (tmp_path / "out").exists()


def test_errored_samples_become_a_finding_counts_in_params_and_a_verdict_floor(tmp_path, capsys):
    code = main(_run(tmp_path, str(LOGS / "candidate.json")))
    result = assert_valid_result(json.loads(capsys.readouterr().out))
    samples = [s for s in json.loads((LOGS / "candidate.json").read_text())["samples"] if s["epoch"] == 1]
    errored = sum(bool(s.get("error")) for s in samples)
    assert result["params"]["harness_samples"]["candidate"]["errored"] == errored > 0
    assert result["params"]["harness_samples"]["candidate"]["samples"] == len(samples)
    findings = [f for f in result["findings"] if f["code"] == "HARNESS_ERRORED_SAMPLES"]
    assert f"{errored} of {len(samples)} sample row(s)" in findings[-1]["message"]
    assert errored / len(samples) >= ERRORED_INCONCLUSIVE_SHARE and result["verdict"] in ("INCONCLUSIVE", "FAIL")
    assert code in (1, 3)


def test_a_sample_that_errored_on_one_side_takes_its_partner_out_too():
    inputs = {"baseline": _frame(["a", "b", "c"]), "candidate": _frame(["a", "c"], errored=["b"])}
    out, echoed = before_check(inputs, {"allow_unpaired": False})
    assert out["baseline"]["id"].tolist() == ["a", "c"] and out["baseline"].attrs["partners_left_out"] == 1
    assert out["candidate"]["id"].tolist() == ["a", "c"] and echoed == {}
    with pytest.raises(EvalGuardInputError, match=r"1 only in 'teacher' \(b\), 0 only in 'student'"):
        before_check({"teacher": _frame(["a", "b"]), "student": _frame(["a"])}, {})
    mixed = {"baseline": _frame(["a", "b"]), "candidate": _frame(["a"], harness="promptfoo")}
    assert before_check(mixed, {})[0] == mixed, "logs of two harnesses name samples their own ways"


@pytest.mark.parametrize(
    ("errored", "samples", "floor"),
    [
        (0, 100, Verdict.PASS),
        (1, 200, Verdict.PASS),
        (1, 100, Verdict.WARN),
        (4, 100, Verdict.WARN),
        (5, 100, Verdict.INCONCLUSIVE),
    ],
)
def test_the_errored_share_sets_the_verdict_floor(errored, samples, floor):
    counts = {"candidate": {"errored": errored, "samples": samples, "limited": 0, "partners_left_out": 0}}
    assert errored_effect(counts) == (floor, errored / samples)
    assert ERRORED_WARN_SHARE < ERRORED_INCONCLUSIVE_SHARE


@pytest.mark.parametrize(
    ("verdict", "errored", "after"),
    [
        (Verdict.PASS, 10, Verdict.INCONCLUSIVE),
        (Verdict.WARN, 10, Verdict.INCONCLUSIVE),
        (Verdict.FAIL, 10, Verdict.FAIL),
        (Verdict.PASS, 2, Verdict.WARN),
        (Verdict.PASS, 0, Verdict.PASS),
    ],
)
def test_after_check_never_lowers_a_verdict_and_says_why_it_raised_one(verdict, errored, after):
    decided = Decision(verdict, "The check's own summary.", findings=(Finding("info", "OWN", "kept"),))
    frame = _frame([str(i) for i in range(100 - errored)], errored=[f"e{i}" for i in range(errored)])
    out = after_check(decided, {"candidate": frame}, {"harness_unpaired": {"candidate": 1}})
    assert out.verdict is after and out.findings[0].code == "OWN"
    assert out.method["harness_samples"]["candidate"]["errored"] == errored
    assert out.method["harness_unpaired"] == {"candidate": 1}
    assert ("errored in the harness" in out.summary) == (after is not verdict)
    assert [f.code for f in out.findings].count("HARNESS_ERRORED_SAMPLES") == (1 if errored else 0)


def test_inputs_not_read_from_a_log_leave_the_decision_as_it_was():
    decided = Decision(Verdict.PASS, "s")
    assert after_check(decided, {"rows": pd.DataFrame({"a": [1]}), "path": "x.parquet"}, {}) is decided
