"""slice_retention (problem 1): did distillation drop a rare but load-bearing behaviour?

Teacher and student scored on the same examples. The overall average can stay flat while a
2%-frequency slice loses ten points; this check judges every slice (each value of each slice
column) by the gate rule on its paired drop, Holm across slices, names slices too small to
measure, and fails when a slice the team declared required was never measured at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.aggregates import which_form, whole_counts
from airflow_evalguard.checks.common.pairing import pair
from airflow_evalguard.checks.common.paired_gate import group_codes
from airflow_evalguard.checks.common.ratings import read_required
from airflow_evalguard.columns.strata import differs
from airflow_evalguard.core.param_limits import MAX_RESAMPLES, MAX_SEED
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import CheckResult, Finding, Metric, SliceResult
from airflow_evalguard.stats.multiplicity import holm_adjust
from airflow_evalguard.stats.paired import PairedTable, mcnemar, mcnemar_min_detectable, newcombe_paired_ci
from airflow_evalguard.stats.paired_scores import ScoreMoments, drops_from_moments, paired_score_drops
from airflow_evalguard.verdicts import Effect, SliceVerdict, Verdict, judge_family, overall_verdict, validate_bands

ID = "example_id"
SIDES = ("teacher", "student")
# the sufficient statistics of paired scores per stratum (input 'moments')
MOMENT_COLUMNS = ("count", "teacher_sum", "student_sum", "diff_sum", "diff_sumsq")


@dataclass
class Drops:
    """Per group: n, teacher and student value, drop (teacher - student) with CI, raw p, method."""

    n: np.ndarray
    teacher: np.ndarray
    student: np.ndarray
    drop: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    p: np.ndarray
    methods: list[str]
    spread: float  # overall discordance (0/1) or sd of differences (scores), for detectable drops


def _drops(t_val, s_val, groups, n_groups, p, weights=None) -> Drops:
    if p["metric"] == "correct":
        table = PairedTable.from_flags(t_val < 0.5, s_val < 0.5, groups, n_groups, weights=weights)
        lo, hi = newcombe_paired_ci(table, p["alpha"])
        pv, methods = mcnemar(table.worse, table.better)
        total = table.total()
        return Drops(table.n, 1 - table.baseline_rate, 1 - table.candidate_rate, table.delta, lo, hi, pv, methods,
                     float(total.discordance[0]))
    return _score_drops(paired_score_drops(t_val, s_val, groups, n_groups, alpha=p["alpha"], n_boot=p["n_boot"],
                                           seed=p["seed"], weights=weights))


def _moment_drops(moments: pd.DataFrame, groups, n_groups, p) -> Drops:
    """Score slices from per-stratum sums: the paired t for every slice (a bootstrap needs rows)."""
    sums = ScoreMoments(*(np.bincount(groups, weights=moments[c].to_numpy(float), minlength=n_groups)
                          for c in MOMENT_COLUMNS))
    return _score_drops(drops_from_moments(sums, alpha=p["alpha"]))


def _score_drops(d) -> Drops:
    # the groups partition the pairs, so their sums add up to the overall moments
    n, s1, s2 = d.moments.n.sum(), d.moments.diff_sum.sum(), d.moments.diff_sumsq.sum()
    overall_sd = float(np.sqrt(max(s2 - s1 * s1 / n, 0) / (n - 1))) if n > 1 else 0.0
    return Drops(d.n, d.teacher, d.student, d.drop, d.ci_low, d.ci_high, d.p, d.methods, overall_sd)


def _min_detectable(n: np.ndarray, spread: float, p: dict) -> np.ndarray:
    if p["metric"] == "correct":
        return mcnemar_min_detectable(n, spread, p["alpha"])
    from scipy.special import ndtri

    with np.errstate(divide="ignore"):
        return (ndtri(1 - p["alpha"]) + ndtri(0.8)) * spread / np.sqrt(n)


def _read(table: TableInput, p: dict) -> pd.DataFrame:
    df = table.read([ID, *p["slice_columns"], p["metric"]])
    if len(df) == 0:
        raise EvalGuardInputError(f"input '{table.name}' is empty", input_name=table.name)
    values = pd.to_numeric(df[p["metric"]], errors="coerce")
    if values.isna().all():
        raise EvalGuardInputError(f"input '{table.name}': column '{p['metric']}' has no numeric values",
                                  input_name=table.name, column=p["metric"])
    bad = values.isna() | (p["metric"] == "correct") & ~values.isin([0, 1])
    if bad.any():
        rows = df.loc[bad, [ID, p["metric"]]].head(5).to_dict("records")
        need = "0 or 1" if p["metric"] == "correct" else "a number"
        raise EvalGuardInputError(f"input '{table.name}': column '{p['metric']}' must be {need} in every row; "
                                  f"{int(bad.sum())} bad row(s): {rows}", input_name=table.name, column=p["metric"])
    return df.assign(**{p["metric"]: values.astype(float)})


def _read_cells(table: TableInput, p: dict) -> pd.DataFrame:
    """Pre-aggregated paired cells: the slice columns, `teacher_<metric>`, `student_<metric>` and
    `count` of examples with that pair of values: the GROUP BY a warehouse returns."""
    from airflow_evalguard.columns.validation import require_rows

    sides = [f"{side}_{p['metric']}" for side in SIDES]
    df = read_required(table, [*p["slice_columns"], *sides, "count"])
    for col in sides:
        values = pd.to_numeric(df[col], errors="coerce")
        bad = ~values.isin([0, 1]) if p["metric"] == "correct" else values.isna() | ~np.isfinite(values)
        require_rows(df[col], bad, input_name="cells", column=col,
                     requirement="must be 0 or 1" if p["metric"] == "correct" else "must be a number")
        df[col] = values.astype(float)
    return df.assign(count=whole_counts(df["count"], "cells"))


def _read_moments(table: TableInput, p: dict) -> pd.DataFrame:
    """Per stratum of the slice columns: `count` of pairs and the sums `teacher_sum`, `student_sum`,
    `diff_sum` (teacher - student) and `diff_sumsq`."""
    from airflow_evalguard.columns.validation import require_rows

    if p["metric"] != "score":
        raise EvalGuardInputError("input 'moments' is for metric='score'; 0/1 outcomes are aggregated exactly as "
                                  "input 'cells'", input_name="moments")
    df = read_required(table, [*p["slice_columns"], *MOMENT_COLUMNS])
    df["count"] = whole_counts(df["count"], "moments")
    for col in MOMENT_COLUMNS[1:]:
        values = pd.to_numeric(df[col], errors="coerce")
        require_rows(df[col], values.isna() | ~np.isfinite(values), input_name="moments", column=col,
                     requirement="must be a number")
        df[col] = values.astype(float)
    require_rows(df["diff_sumsq"], df["diff_sumsq"] < -1e-9 * df["diff_sumsq"].abs().max(), input_name="moments",
                 column="diff_sumsq", requirement="must not be negative")
    return df


def _required(table: TableInput | None, p: dict) -> list[dict]:
    """Declared slices: `slice` as col=value (or `column` + `value`), optional `min_n`, `tolerance`."""
    if table is None:
        return []
    df = table.read()
    if "slice" not in df.columns and not {"column", "value"} <= set(df.columns):
        raise EvalGuardInputError("input 'required_slices' needs a 'slice' column (col=value) or 'column' and 'value'",
                                  input_name="required_slices", column="slice")
    out = []
    for _, row in df.iterrows():
        if "slice" in df.columns and pd.notna(row.get("slice")):
            col, sep, val = str(row["slice"]).partition("=")
            if not sep:
                raise EvalGuardInputError(f"input 'required_slices': slice {row['slice']!r} is not col=value",
                                          input_name="required_slices", column="slice")
        else:
            col, val = str(row["column"]), str(row["value"])
        if col not in p["slice_columns"]:
            raise EvalGuardInputError(f"input 'required_slices': {col!r} is not one of slice_columns {p['slice_columns']}",
                                      input_name="required_slices", column="slice")
        out.append({
            "slice": f"{col}={val}",
            "min_n": int(row["min_n"]) if "min_n" in df.columns and pd.notna(row.get("min_n")) else p["min_n"],
            "tolerance": float(row["tolerance"]) if "tolerance" in df.columns and pd.notna(row.get("tolerance")) else None,
        })
    return out


def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    validate_bands(p["warn_at"], p["fail_at"])
    if not p["slice_columns"]:
        raise EvalGuardInputError("param 'slice_columns' must name at least one column")
    metric = p["metric"]
    required = _required(tables.get("required_slices"), p)
    unpaired = {"teacher": 0, "student": 0}
    form = which_form(set(tables) - {"required_slices"}, SIDES, ("cells", "moments"))
    if form == "moments":
        moments = _read_moments(tables["moments"], p)
        n_total = int(moments["count"].sum())
        slice_values = {col: (moments[col], moments[col]) for col in p["slice_columns"]}

        def drops_for(codes, n_groups):
            return _moment_drops(moments, codes, n_groups, p)
    else:
        if form == "cells":
            cells = _read_cells(tables["cells"], p)
            t_val, s_val = cells[f"teacher_{metric}"].to_numpy(), cells[f"student_{metric}"].to_numpy()
            weights = cells["count"].to_numpy()
            n_total = int(weights.sum())
            slice_values = {col: (cells[col], cells[col]) for col in p["slice_columns"]}
        else:
            teacher, student = _read(tables["teacher"], p), _read(tables["student"], p)
            paired = pair(teacher, student, names=SIDES, id_column=ID, allow_unpaired=p["allow_unpaired"])
            frame, unpaired, weights = paired.frame, paired.unpaired, None
            t_val, s_val = frame[f"{metric}_teacher"].to_numpy(), frame[f"{metric}_student"].to_numpy()
            n_total = len(frame)
            slice_values = {col: (frame[f"{col}_teacher"], frame[f"{col}_student"]) for col in p["slice_columns"]}

        def drops_for(codes, n_groups):
            return _drops(t_val, s_val, codes, n_groups, p, weights)

    overall = drops_for(np.zeros(len(slice_values[p['slice_columns'][0]][0]), dtype=np.int64), 1)
    o_eff = Effect("overall", float(overall.drop[0]), float(overall.lo[0]), float(overall.hi[0]), float(overall.p[0]))
    o_verdict = judge_family([o_eff], alpha=p["alpha"], warn_at=p["warn_at"], fail_at=p["fail_at"])[0].verdict

    # every value of every slice column, judged as one Holm family
    labels, drops_by_col = [], []
    for col in p["slice_columns"]:
        t_col, s_col = slice_values[col]
        mismatch = differs(t_col, s_col)
        if mismatch.any():
            ids = frame.loc[mismatch, ID].head(5).tolist()
            raise EvalGuardInputError(f"inputs disagree on slice column '{col}' for {int(mismatch.sum())} example(s), e.g. {ids}",
                                      input_name="student", column=col)
        codes, levels = group_codes(t_col)
        drops_by_col.append(drops_for(codes, len(levels)))
        labels.append([f"{col}={lv}" for lv in levels])
    flat = [(lab, d, i) for labs, d in zip(labels, drops_by_col) for i, lab in enumerate(labs)]
    p_adj = holm_adjust([float(d.p[i]) for _, d, i in flat])
    tolerance = {r["slice"]: r for r in required}

    slices, slice_verdicts, findings, underpowered, regressions = [], [], [], [], []
    for (label, d, i), padj in zip(flat, p_adj):
        req = tolerance.get(label)
        fail_at = req["tolerance"] if req and req["tolerance"] is not None else p["fail_at"]
        warn_at = min(p["warn_at"], fail_at)
        eff = Effect(label, float(d.drop[i]), float(d.lo[i]), float(d.hi[i]), padj)
        verdict = judge_family([eff], alpha=p["alpha"], warn_at=warn_at, fail_at=fail_at, correction="none")[0].verdict
        n = int(d.n[i])
        min_n = req["min_n"] if req else p["min_n"]
        mdd = float(_min_detectable(np.array([n]), d.spread, p)[0])
        if n < min_n and verdict not in (Verdict.FAIL, Verdict.WARN):
            verdict = Verdict.INCONCLUSIVE
        metrics = {
            "teacher": Metric(float(d.teacher[i]), n=n),
            "student": Metric(float(d.student[i]), n=n),
            "drop": Metric(float(d.drop[i]), float(d.lo[i]), float(d.hi[i]), n=n),
            "p_holm": Metric(float(padj), n=n),
            "teacher_frequency": Metric(n / n_total, n=n),
            "min_detectable_drop": Metric(mdd, n=n),
        }
        slices.append(SliceResult(label, verdict, metrics))
        slice_verdicts.append(SliceVerdict(label, verdict, required=req is not None))
        if verdict in (Verdict.FAIL, Verdict.WARN):
            words = (f"{label} ({n / n_total:.1%} of examples): {d.teacher[i]:.1%} -> {d.student[i]:.1%} "
                     f"(drop {d.drop[i]:+.1%}, CI {d.lo[i]:+.1%} to {d.hi[i]:+.1%}, p {padj:.2g} after Holm)")
            findings.append(Finding(verdict.value.lower(), "SLICE_REGRESSION", words, label))
            regressions.append((label, float(d.drop[i]), words))
        elif verdict is Verdict.INCONCLUSIVE:
            why = f"n={n} < {min_n}" if n < min_n else f"CI reaches {fail_at:.0%}"
            underpowered.append(f"{label} ({why}; detectable drop {mdd:.1%})")
    present = {s.slice for s in slices}
    validity = []
    for req in required:
        if req["slice"] not in present:
            findings.append(Finding("fail", "REQUIRED_SLICE_MISSING",
                                    f"required slice {req['slice']} has no examples: the eval never measured it", req["slice"]))
            validity.append(Verdict.FAIL)
    if underpowered:
        findings.append(Finding("warn", "UNDERPOWERED_SLICE",
                                f"{len(underpowered)} slice(s) cannot be settled: " + "; ".join(underpowered[:20])
                                + (f" (+{len(underpowered) - 20} more)" if len(underpowered) > 20 else "")))
    verdict, _ = overall_verdict([o_verdict], validity, slice_verdicts)
    flat_overall = o_verdict is Verdict.PASS
    if regressions and flat_overall:
        worst_label, worst_drop, _ = max(regressions, key=lambda r: r[1])
        findings.append(Finding("warn", "AVERAGE_HIDES_REGRESSION",
                                f"the overall drop ({overall.drop[0]:+.1%}) passes, but {len(regressions)} slice(s) regressed; "
                                f"worst {worst_label} ({worst_drop:+.1%})"))
    else:
        findings.append(Finding("info", "AVERAGE_CONSISTENT",
                                f"the overall drop ({overall.drop[0]:+.1%}, {o_verdict.value}) "
                                + ("and the slices agree" if not regressions else "already shows the regression")))
    if unpaired["teacher"] or unpaired["student"]:
        findings.append(Finding("info", "UNPAIRED_DROPPED",
                                f"{unpaired['teacher']} teacher-only and {unpaired['student']} student-only examples dropped"))

    slices.sort(key=lambda s: (s.metrics["teacher_frequency"].value, s.slice))  # rarest first
    metrics = {
        "teacher": Metric(float(overall.teacher[0]), n=n_total),
        "student": Metric(float(overall.student[0]), n=n_total),
        "drop": Metric(float(overall.drop[0]), float(overall.lo[0]), float(overall.hi[0]), n=n_total),
        "slices_regressed": Metric(len(regressions)),
        "slices_underpowered": Metric(len(underpowered)),
    }
    if unpaired["teacher"] or unpaired["student"]:
        metrics["unpaired_dropped"] = Metric(unpaired["teacher"] + unpaired["student"])
    summary = _summary(verdict, overall, regressions, validity, n_total)
    evidence = pd.DataFrame([{"slice": s.slice, "verdict": s.verdict.value,
                              **{k: m.value for k, m in s.metrics.items()},
                              "drop_ci_low": s.metrics["drop"].ci_low, "drop_ci_high": s.metrics["drop"].ci_high,
                              "n": s.metrics["drop"].n} for s in slices])
    methods = sorted({m for d in drops_by_col for m in d.methods} | set(overall.methods))
    return CheckResult(
        check="slice_retention", verdict=verdict, summary=summary, metrics=metrics, slices=slices,
        findings=findings, evidence=evidence,
        params={
            "required_slices": required,
            "delta_method": ("newcombe_paired_hybrid_score + mcnemar (exact when discordant < 25, else chi2_cc)"
                             if metric == "correct" else "paired t from moments for every slice" if form == "moments"
                             else "paired t (n > 2000) / paired BCa bootstrap (n <= 2000)"),
            "methods_used": methods,
            "multiplicity": "holm across all slices of all slice columns",
            "min_detectable_drop_method": "80% power, one-sided alpha, spread observed overall",
            "input_form": form,
        },
    )


def _summary(verdict, overall, regressions, validity, n) -> str:
    if validity:
        return "A required slice was never measured: the eval cannot vouch for a behaviour the team declared load-bearing. Do not promote."
    if verdict in (Verdict.FAIL, Verdict.WARN) and regressions:
        label, drop, words = max(regressions, key=lambda r: r[1])
        hidden = " while the overall average looks flat" if abs(float(overall.drop[0])) < 0.01 else ""
        head = "The student lost" if verdict is Verdict.FAIL else "The student slipped on"
        return f"{head} {label}{hidden}: {words}."
    if verdict is Verdict.INCONCLUSIVE:
        return f"{n:,} paired examples cannot rule out a failing drop overall or in a required slice; see UNDERPOWERED_SLICE."
    return f"The student retains the teacher's behaviour overall (drop {float(overall.drop[0]):+.1%}) and in every measurable slice."


SPEC = CheckSpec(
    name="slice_retention",
    summary="Did a distilled or compressed student lose a rare slice the teacher handled?",
    inputs={
        "teacher": InputSpec("one row per example: example_id, the slice columns, correct (0/1) or score",
                             required=False),
        "student": InputSpec("the same examples scored for the student", required=False),
        "cells": InputSpec("instead of teacher/student: pre-aggregated paired cells, the slice columns, "
                           "teacher_<metric>, student_<metric> and count", required=False),
        "moments": InputSpec("instead of teacher/student (metric 'score'): per stratum of the slice columns, count, "
                             "teacher_sum, student_sum, diff_sum, diff_sumsq (paired t for every slice)",
                             required=False),
        "required_slices": InputSpec("declared load-bearing slices: slice (col=value), optional min_n, tolerance",
                                     required=False),
    },
    params={
        "slice_columns": ParamSpec([], list, "columns whose values define slices"),
        "metric": ParamSpec("correct", str, "0/1 column 'correct' or numeric column 'score'", choices=("correct", "score")),
        "warn_at": ParamSpec(0.02, float, "absolute drop that warns", minimum=0, maximum=1),
        "fail_at": ParamSpec(0.05, float, "absolute drop that fails", minimum=0, maximum=1),
        "alpha": ParamSpec(0.05, float, "significance level; CIs are at 1 - alpha", minimum=1e-6, maximum=0.5),
        "min_n": ParamSpec(30, int, "examples a slice needs to be judged on its own", minimum=1),
        "allow_unpaired": ParamSpec(False, bool, "drop examples present on one side only instead of failing"),
        "seed": ParamSpec(0, int, "seed for the paired bootstrap of scores", minimum=0, maximum=MAX_SEED),
        "n_boot": ParamSpec(2000, int, "bootstrap resamples for score slices of <= 2000 pairs", minimum=200, maximum=MAX_RESAMPLES),
    },
    decide=run,
)
