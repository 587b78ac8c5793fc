"""What a result owes to inputs read from harness logs: their sample sets, and their errored samples.

`before_check` runs once the check's parameters are known. Two logs given as the two sides of a
paired check (baseline/candidate, teacher/student) must hold the same samples: when their sample
ids differ, the inputs are refused naming how many ids are only in each, unless the check's
`allow_unpaired` is set (then it gates on the ids in both, and the counts go into the result's
params as `harness_unpaired`). A sample that errored on one side has no partner to be compared
with: its partner is left out too, and both are counted.

`after_check` turns the errored samples into a finding and, by their share, a gate effect
(docs/decisions/errored-harness-samples.md): a sample that errored has no score, and if the
samples a model errored on are the ones it would have failed, leaving them out hides the effect
the check measures. Below ERRORED_WARN_SHARE of an input's samples: reported (info); from it:
the verdict is at least WARN; from ERRORED_INCONCLUSIVE_SHARE: a PASS or WARN becomes
INCONCLUSIVE (a FAIL stays FAIL: the samples that were scored already show the failure).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.forms import refuse_other_checks_preset
from airflow_evalguard.harnesses.pairs import PAIRS
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict, worst

ERRORED_WARN_SHARE = 0.01
ERRORED_INCONCLUSIVE_SHARE = 0.05
ID_COLUMNS = {"inspect": ("id",), "lm_eval": ("task", "doc_id"), "promptfoo": ("test_idx",)}


def _harness(value: Any) -> str | None:
    return value.attrs.get("harness") if isinstance(value, pd.DataFrame) else None


def _ids(frame: pd.DataFrame) -> pd.Series:
    """Each row's sample id as the log names it (lm-eval numbers docs per task: task/doc_id)."""
    columns = ID_COLUMNS[frame.attrs["harness"]]
    if not set(columns) <= set(frame.columns):
        return pd.Series([], dtype=object)
    ids = frame[columns[0]].astype(str)
    for column in columns[1:]:
        ids = ids + "/" + frame[column].astype(str)
    return ids


def _sample_ids(frame: pd.DataFrame) -> set[str]:
    return set(_ids(frame)) | set(map(str, frame.attrs.get("errored_ids") or []))


def _only_in(ids: set[str], side: str) -> str:
    """'2 only in 'baseline' (xs-03, xs-04)': the count and the first few ids."""
    first = ", ".join(sorted(ids)[:3]) + (", ..." if len(ids) > 3 else "")
    return f"{len(ids)} only in '{side}'" + (f" ({first})" if ids else "")


def before_check(
    inputs: dict[str, Any], params: dict[str, Any], check: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(inputs with the partners of errored samples left out, what goes into the result's params)."""
    out, echoed = dict(inputs), dict[str, Any]()
    for name, value in inputs.items():
        if _harness(value):  # a template or XCom value is checked here, not when the DAG was parsed
            refuse_other_checks_preset(name, {"preset": value.attrs.get("preset")}, check)
    for first, second in PAIRS:
        left, right = out.get(first), out.get(second)
        if _harness(left) is None or _harness(left) != _harness(right):
            continue
        only_left, only_right = _sample_ids(left) - _sample_ids(right), _sample_ids(right) - _sample_ids(left)
        if (only_left or only_right) and not params.get("allow_unpaired"):
            both = len(_sample_ids(left) & _sample_ids(right))
            raise EvalGuardInputError(
                f"inputs '{first}' and '{second}' are {_harness(left)} logs of different sample sets: sample ids "
                f"{_only_in(only_left, first)}, {_only_in(only_right, second)}; "
                f"set allow_unpaired=true to gate on the {both} in both",
                input_name=second,
            )
        if only_left or only_right:
            echoed.setdefault("harness_unpaired", {}).update({first: len(only_left), second: len(only_right)})
        out[first], out[second] = _without_partners(left, right), _without_partners(right, left)
    return out, echoed


def _without_partners(frame: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """`frame` without the samples that errored in `other` (they have nothing to be paired with)."""
    errored = set(map(str, other.attrs.get("errored_ids") or []))
    if not errored:
        return frame
    keep = ~_ids(frame).isin(errored).to_numpy()
    out = frame[keep].reset_index(drop=True)
    out.attrs.update(frame.attrs, partners_left_out=int((~keep).sum()))
    return out


def errored_counts(inputs: dict[str, Any]) -> dict[str, dict[str, int]]:
    """input -> {errored, limited, samples, partners_left_out} for every input read from a log."""
    counts = {}
    for name, frame in inputs.items():
        if _harness(frame) is None:
            continue
        attrs = frame.attrs
        counts[name] = {
            "errored": int(attrs.get("dropped_errored") or 0) + int(attrs.get("errored") or 0),
            "limited": int(attrs.get("limited") or 0),
            "samples": int(attrs.get("considered") or len(frame)),
            "partners_left_out": int(attrs.get("partners_left_out") or 0),
        }
    return counts


def _finding(name: str, count: dict[str, int], severity: str, kept: bool) -> Finding:
    share = count["errored"] / count["samples"] if count["samples"] else 0.0
    fate = "kept with status 'error'" if kept else "left out of the check"
    partners = f"; {count['partners_left_out']} partner row(s) of the other side's errored samples left out too"
    return Finding(
        severity,
        "HARNESS_ERRORED_SAMPLES",
        f"input '{name}': {count['errored']} of {count['samples']} sample row(s) ({share:.1%}) errored in the "
        f"harness and were {fate}" + (partners if count["partners_left_out"] else ""),
    )


def errored_effect(counts: dict[str, dict[str, int]]) -> tuple[Verdict, float]:
    """The verdict floor the errored samples set, and the largest errored share of an input."""
    share = max((c["errored"] / c["samples"] for c in counts.values() if c["samples"]), default=0.0)
    if share >= ERRORED_INCONCLUSIVE_SHARE:
        return Verdict.INCONCLUSIVE, share
    return (Verdict.WARN if share >= ERRORED_WARN_SHARE else Verdict.PASS), share


def after_check(decided: Any, inputs: dict[str, Any], echoed: dict[str, Any]) -> Any:
    """The check's decision with the errored samples' finding, gate effect and counts added."""
    counts = errored_counts(inputs)
    if not counts:
        return decided
    floor, share = errored_effect(counts)
    findings = list(decided.findings)
    for name, count in counts.items():
        if count["errored"]:
            severity = "info" if floor is Verdict.PASS else "warn"
            findings.append(_finding(name, count, severity, kept=bool(inputs[name].attrs.get("errored"))))
        if count["limited"]:
            findings.append(
                Finding(
                    "info",
                    "HARNESS_LIMITED_SAMPLES",
                    f"input '{name}': {count['limited']} sample row(s) hit a limit (messages, tokens, time) "
                    "and were scored as they stood",
                )
            )
    verdict, summary = decided.verdict, decided.summary
    if decided.verdict is not Verdict.FAIL and worst([decided.verdict, floor]) is not decided.verdict:
        verdict = floor
        summary = f"{summary} {verdict.value}: {share:.1%} of an input's samples errored in the harness."
    method = {
        **decided.method,
        **echoed,
        "harness_samples": counts,
        "harness_errored_bands": [ERRORED_WARN_SHARE, ERRORED_INCONCLUSIVE_SHARE],
    }
    return dataclasses.replace(decided, verdict=verdict, summary=summary, findings=tuple(findings), method=method)
