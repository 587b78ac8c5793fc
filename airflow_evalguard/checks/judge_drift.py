"""judge_drift (problem 4): an LLM judge endpoint silently updates and moves every score.

Four parts, each run when its input is given: the pin (every score from the pinned snapshot;
a changed snapshot fails directly), judge parse failures (counted, never dropped), anchors (a
fixed item set re-scored by the judge as it is now), the dual window (both systems scored by
the old and new snapshot, so a lift is reported net of the ruler effect) and human agreement.
The gated effects of all parts form one Holm family, so the chance of any false FAIL stays at
alpha however many parts run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.columns.offending import offending_values
from airflow_evalguard.checks.judge.coding import numeric_scores, parse_error_flags, winners
from airflow_evalguard.checks.judge.part import PartResult
from airflow_evalguard.checks.common.ratings import read_required, require_present
from airflow_evalguard.core.param_limits import MAX_RESAMPLES, MAX_SEED
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import CheckResult, Finding, Metric
from airflow_evalguard.verdicts import Verdict, gate_rule, overall_verdict, validate_bands

SCORE_TYPES = ("ordinal", "interval", "pairwise")


def _judge_outputs(df: pd.DataFrame, name: str, score_type: str, column: str) -> pd.Series:
    if score_type == "pairwise":
        out = winners(df[column], input_name=name, column=column)
    else:
        out = numeric_scores(df[column], input_name=name, column=column)
    flagged = parse_error_flags(df)
    if flagged.any():
        out = out.astype(object).copy() if score_type == "pairwise" else out.copy()
        out[flagged] = None if score_type == "pairwise" else np.nan
    return out


def _read_scores(table: TableInput, p: dict) -> pd.DataFrame:
    pairwise = p["score_type"] == "pairwise"
    col = "winner" if pairwise else "score"
    if col not in table.columns():
        raise EvalGuardInputError(
            f"input 'scores': score_type '{p['score_type']}' needs a '{col}' column; found {table.columns()}",
            input_name="scores", column=col)
    df = read_required(table, ["item_id", "judge_model", col], optional=("winner_swapped", "parse_error"))
    require_present(df, "item_id", "scores", "item id")
    require_present(df, "judge_model", "scores", "judge snapshot id")
    out = pd.DataFrame({"item_id": df["item_id"].astype(str).to_numpy(), "judge_model": df["judge_model"].astype(str).to_numpy()})
    out["judge"] = _judge_outputs(df, "scores", p["score_type"], col).to_numpy()
    if pairwise and "winner_swapped" in df.columns:
        out["swapped"] = winners(df["winner_swapped"], input_name="scores", column="winner_swapped").to_numpy()
    return out


def _failures(series: pd.Series) -> int:
    return int(pd.isna(series).sum())


def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    from airflow_evalguard.checks.judge.anchors import anchor_values, anchors_part
    from airflow_evalguard.checks.judge.dual import dual_part, pick_judges
    from airflow_evalguard.checks.judge.human import human_part
    from airflow_evalguard.checks.judge.parse_failures import parse_part
    from airflow_evalguard.checks.judge.pin import pin_part

    if not tables:
        raise EvalGuardInputError("check 'judge_drift' needs at least one of the inputs scores (or score_counts), anchors, dual, human")
    if len(p["max_shift"]) != 2:
        raise EvalGuardInputError(f"param 'max_shift' must be [warn_at, fail_at], got {p['max_shift']!r}")
    validate_bands(*p["max_shift"])
    validate_bands(p["parse_warn_at"], p["parse_fail_at"])
    score_type = p["score_type"]
    parts: list[PartResult] = []
    failures: dict[str, tuple[int, int]] = {}

    scores = None
    evidence: list[pd.DataFrame] = []
    if "scores" in tables and "score_counts" in tables:
        raise EvalGuardInputError("give either input 'scores' (rows) or 'score_counts' (pre-aggregated), not both")
    if "score_counts" in tables:
        from airflow_evalguard.checks.judge.pin import pin_part_counts

        counts = _read_score_counts(tables["score_counts"])
        parts.append(pin_part_counts(counts.groupby("judge_model")["count"].sum(), p["pinned_judge"]))
        failures["scores"] = (int(counts["failed"].sum()), int(counts["judgments"].sum()))
        evidence.append(_count_evidence(counts, p["pinned_judge"]))
    if "scores" in tables:
        scores = _read_scores(tables["scores"], p)
        evidence.append(_score_evidence(scores, p["pinned_judge"]))
        parts.append(pin_part(scores["judge_model"], p["pinned_judge"]))
        judged = _failures(scores["judge"]) + (_failures(scores["swapped"]) if "swapped" in scores else 0)
        failures["scores"] = (judged, len(scores) * (2 if "swapped" in scores else 1))
    if "anchors" in tables:
        a = read_required(tables["anchors"], ["item_id", "reference_score", "score"], optional=("parse_error",))
        ref = anchor_values(a["reference_score"], score_type, input_name="anchors", column="reference_score")
        if np.isnan(ref).any():
            raise EvalGuardInputError(
                f"input 'anchors': column 'reference_score' is missing in {int(np.isnan(ref).sum())} row(s); the "
                "pinned snapshot's reference scores must be complete", input_name="anchors", column="reference_score")
        cur = anchor_values(a["score"], score_type, input_name="anchors", column="score")
        cur[parse_error_flags(a)] = np.nan
        failures["anchors"] = (int(np.isnan(cur).sum()), len(cur))
        if (~np.isnan(cur)).sum() < 2:
            raise EvalGuardInputError("input 'anchors': fewer than two anchors re-scored; the shift needs pairs",
                                      input_name="anchors", column="score")
        parts.append(anchors_part(ref, cur, score_type=score_type, p=p))
        moved = ref != cur
        evidence.append(pd.DataFrame({"input": "anchors", "item_id": a["item_id"].astype(str).to_numpy()[moved],
                                      "problem": np.where(np.isnan(cur[moved]), "parse_failure", "anchor_changed"),
                                      "detail": [f"{r:g} -> {c:g}" for r, c in zip(ref[moved], cur[moved])]}))
    if "dual" in tables:
        d = read_required(tables["dual"], ["item_id", "system", "judge_model", "score"], optional=("parse_error",))
        for col, what in (("item_id", "item id"), ("system", "baseline|candidate"), ("judge_model", "judge snapshot id")):
            require_present(d, col, "dual", what)
        bad = ~d["system"].astype(str).isin(["baseline", "candidate"])
        if bad.any():
            raise EvalGuardInputError(
                f"input 'dual': column 'system' must be 'baseline' or 'candidate'; found "
                f"{offending_values(d.loc[bad, 'system'])}", input_name="dual", column="system")
        if score_type == "pairwise":
            raise EvalGuardInputError("input 'dual' needs numeric scores; score_type 'pairwise' has none",
                                      input_name="dual", column="score")
        frame = pd.DataFrame({"item_id": d["item_id"].astype(str), "system": d["system"].astype(str),
                              "judge_model": d["judge_model"].astype(str),
                              "score": _judge_outputs(d, "dual", score_type, "score")})
        failures["dual"] = (_failures(frame["score"]), len(frame))
        old, new = pick_judges(sorted(frame["judge_model"].unique()), p["old_judge"], p["new_judge"], p["pinned_judge"])
        parts.append(dual_part(frame, old, new, p))
    if "human" in tables:
        if scores is None:
            raise EvalGuardInputError("input 'human' is compared item by item with the judge's 'scores'; give "
                                      "'scores' (rows: 'score_counts' cannot be joined to items)", input_name="human")
        col = "human_winner" if score_type == "pairwise" else "human_score"
        if col not in tables["human"].columns():
            raise EvalGuardInputError(f"input 'human': score_type '{score_type}' needs a '{col}' column",
                                      input_name="human", column=col)
        h = read_required(tables["human"], ["item_id", col])
        require_present(h, "item_id", "human", "item id")
        require_present(h, col, "human", "human label")
        human = pd.DataFrame({"item_id": h["item_id"].astype(str),
                              "human": (winners(h[col], input_name="human", column=col) if score_type == "pairwise"
                                        else numeric_scores(h[col], input_name="human", column=col)).to_numpy()})
        parts.append(human_part(scores, human, score_type=score_type, p=p))
    if failures:
        parts.insert(1 if "scores" in failures else 0,
                     parse_part(failures, warn_at=p["parse_warn_at"], fail_at=p["parse_fail_at"], alpha=p["alpha"]))
    result = _combine(parts, p)
    result.evidence = pd.concat(evidence, ignore_index=True) if evidence else None
    return result


def _read_score_counts(table: TableInput) -> pd.DataFrame:
    """judge_model, count (scores), failed (judgments without a usable verdict), optional judgments
    (default: count; twice the count for pairwise records judged in both orders)."""
    from airflow_evalguard.checks.common.aggregates import whole_counts

    df = read_required(table, ["judge_model", "count", "failed"], optional=("judgments",))
    require_present(df, "judge_model", "score_counts", "judge snapshot id")
    out = pd.DataFrame({"judge_model": df["judge_model"].astype(str).to_numpy(),
                        "count": whole_counts(df["count"], "score_counts"),
                        "failed": whole_counts(df["failed"], "score_counts", "failed")})
    out["judgments"] = whole_counts(df["judgments"], "score_counts", "judgments") if "judgments" in df.columns \
        else out["count"]
    if (out["failed"] > out["judgments"]).any():
        raise EvalGuardInputError("input 'score_counts': more failed judgments than judgments in some row",
                                  input_name="score_counts", column="failed")
    return out


def _count_evidence(counts: pd.DataFrame, pinned: list[str] | None) -> pd.DataFrame:
    """Per judge snapshot: how many scores were unpinned or failed (items are not known from counts)."""
    per = counts.groupby("judge_model")[["count", "failed"]].sum().reset_index()
    unpinned = ~per["judge_model"].isin(set(pinned)) if pinned else pd.Series(False, index=per.index)
    rows = per[unpinned | (per["failed"] > 0)]
    return pd.DataFrame({"input": "score_counts", "item_id": None,
                         "problem": np.where(unpinned[rows.index], "unpinned_snapshot", "parse_failure"),
                         "detail": [f"{m}: {int(c):,} scores, {int(f):,} failed" for m, c, f in
                                    zip(rows["judge_model"], rows["count"], rows["failed"])]})


def _score_evidence(scores: pd.DataFrame, pinned: list[str] | None) -> pd.DataFrame:
    """The judge outputs behind a finding: unpinned snapshots and parse failures."""
    unpinned = ~scores["judge_model"].isin(set(pinned)) if pinned else pd.Series(False, index=scores.index)
    failed = scores["judge"].isna()
    if "swapped" in scores:
        failed = failed | scores["swapped"].isna()
    rows = scores[unpinned | failed]
    problem = np.where(unpinned[rows.index], "unpinned_snapshot", "parse_failure")
    return pd.DataFrame({"input": "scores", "item_id": rows["item_id"].to_numpy(), "problem": problem,
                         "detail": rows["judge_model"].to_numpy()})


def _combine(parts: list[PartResult], p: dict) -> CheckResult:
    from airflow_evalguard.stats.multiplicity import holm_adjust

    metrics: dict[str, Metric] = {}
    findings: list[Finding] = []
    validity: list[Verdict] = []
    slices = []
    headline: list[str] = []
    gated = [g for part in parts for g in part.gated]
    for part in parts:
        metrics.update(part.metrics)
        findings.extend(part.findings)
        validity.extend(part.validity)
        slices.extend(part.slices)
        headline.extend(part.headline)
    adjusted = holm_adjust([g.p_value for g in gated])
    verdicts = []
    slice_verdicts: dict[str, Verdict] = {}
    for g, p_adj in zip(gated, adjusted):
        verdict = gate_rule(g.value, g.ci_high, p_adj < p["alpha"], g.warn_at, g.fail_at)
        if g.slice is None:
            verdicts.append(verdict)
        else:
            slice_verdicts[g.slice] = max(slice_verdicts.get(g.slice, Verdict.PASS), verdict, key=lambda v: v.rank)
        if verdict is not Verdict.PASS:
            text = g.describe(verdict)
            severity = "warn" if verdict is Verdict.INCONCLUSIVE else verdict.value.lower()
            code = g.code if verdict is not Verdict.INCONCLUSIVE else f"{g.code}_UNSETTLED"
            findings.append(Finding(severity, code, text, g.slice))
            if verdict in (Verdict.FAIL, Verdict.WARN):
                headline.append(text[0].upper() + text[1:])
    if any(f.code == "AGREEMENT_PARADOX" and f.slice is None for f in findings):
        validity.append(Verdict.WARN)
    for s in slices:
        s.verdict = slice_verdicts.get(s.slice, Verdict.PASS)
        if any(f.code == "AGREEMENT_PARADOX" and f.slice == s.slice for f in findings):
            s.verdict = max(s.verdict, Verdict.WARN, key=lambda v: v.rank)
    from airflow_evalguard.verdicts import SliceVerdict

    verdict, underpowered = overall_verdict(verdicts, validity, [SliceVerdict(s.slice, s.verdict) for s in slices])
    if underpowered:
        findings.append(Finding("warn", "UNDERPOWERED_SLICE",
                                f"{len(underpowered)} judge(s) with too few items to settle: {', '.join(underpowered)}"))
    summary = _summary(verdict, headline, findings)
    return CheckResult(check="judge_drift", verdict=verdict, summary=summary, metrics=metrics, slices=slices,
                       findings=findings,
                       params={"multiplicity": "holm across every gated effect of every part",
                               "shift_ci_method": "paired BCa bootstrap up to 2,000 items, paired t beyond",
                               "alpha_ci_method": "percentile bootstrap over items",
                               "kappa_weights": {"ordinal": "quadratic", "pairwise": "none"}})


def _summary(verdict: Verdict, headline: list[str], findings: list[Finding]) -> str:
    if verdict is Verdict.PASS:
        return "The judge held still: " + (
            "; ".join(f.message for f in findings if f.severity == "info")[:300] or "every part passed") + "."
    if verdict is Verdict.INCONCLUSIVE and not headline:
        unsettled = [f.message for f in findings if f.code.endswith("_UNSETTLED")]
        return "The judge's stability cannot be settled: " + (unsettled[0] if unsettled else "see findings") + "."
    lead = headline[0] if headline else next((f.message for f in findings if f.severity != "info"), "see findings")
    tail = " Do not read this eval's scores until the judge is re-pinned." if verdict is Verdict.FAIL else ""
    return f"{lead}.{tail}"


SPEC = CheckSpec(
    name="judge_drift",
    summary="Did the LLM judge change under the eval (snapshot, anchors, dual window, human agreement)?",
    inputs={
        "scores": InputSpec("eval records: item_id, judge_model, score (or winner 1|2|tie + winner_swapped), "
                            "optional parse_error", required=False),
        "score_counts": InputSpec("instead of scores (pre-aggregated; pin and parse failures only): judge_model, "
                                  "count, failed, optional judgments", required=False),
        "anchors": InputSpec("fixed anchor set: item_id, reference_score (pinned snapshot), score (judge now)",
                             required=False),
        "dual": InputSpec("overlap window: item_id, system (baseline|candidate), judge_model, score", required=False),
        "human": InputSpec("human labels: item_id, human_score (or human_winner)", required=False),
    },
    params={
        "pinned_judge": ParamSpec(None, list, "pinned judge snapshot id(s); any other fails", nullable=True),
        "score_type": ParamSpec("ordinal", str, "what the judge outputs", choices=SCORE_TYPES),
        "max_shift": ParamSpec([0.1, 0.25], list, "[warn_at, fail_at] on |anchor shift| and |ruler effect|, in score "
                                                  "units (pairwise: preference -1..1)"),
        "min_alpha": ParamSpec(0.8, float, "anchor alpha below this fails (0.667: tentative conclusions only)",
                               minimum=0, maximum=1),
        "min_human_alpha": ParamSpec(None, float, "judge-human alpha below this fails (default: report only)",
                                     nullable=True, minimum=-1, maximum=1),
        "min_position_consistency": ParamSpec(None, float, "pairwise verdicts surviving an order swap below this "
                                                           "fail (default: report only)", nullable=True, minimum=0,
                                              maximum=1),
        "parse_warn_at": ParamSpec(0.02, float, "judge parse-failure rate that warns", minimum=0, maximum=1),
        "parse_fail_at": ParamSpec(0.10, float, "judge parse-failure rate that fails", minimum=0, maximum=1),
        "old_judge": ParamSpec(None, str, "the old snapshot in input 'dual' (default: the pinned one)", nullable=True),
        "new_judge": ParamSpec(None, str, "the new snapshot in input 'dual'", nullable=True),
        "alpha": ParamSpec(0.05, float, "significance level; CIs are at 1 - alpha", minimum=1e-6, maximum=0.5),
        "n_boot": ParamSpec(2000, int, "bootstrap resamples", minimum=100, maximum=MAX_RESAMPLES),
        "seed": ParamSpec(0, int, "seed for the bootstrap", minimum=0, maximum=MAX_SEED),
    },
    decide=run,
)
