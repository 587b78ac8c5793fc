"""rubric_drift (problem 5): a rubric read by humans and an LLM judge drifts on two axes, and the
composite hides it.

Per criterion, on items rated in both periods, the change in the judge's score splits exactly
into a rubric axis (the human mean moved: the rubric or its reading changed, and the judge moved
with it) and a judge axis (the judge moved relative to the humans):
    judge_cand - judge_base = (human_cand - human_base) + ((judge - human)_cand - (judge - human)_base)
The composite change (weighted sum over criteria) splits the same way, so its criterion
contributions add up exactly; opposite moves on two criteria can cancel in the composite, which
is the HIDDEN_DRIFT finding. All axes and the composite form one Holm family.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.columns.offending import offending_values
from airflow_evalguard.checks.common.shift import Shift, paired_shift
from airflow_evalguard.checks.common.ratings import read_required, require_present
from airflow_evalguard.core.param_limits import MAX_RESAMPLES, MAX_SEED
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import CheckResult, Finding, Metric, SliceResult
from airflow_evalguard.verdicts import SliceVerdict, Verdict, gate_rule, overall_verdict, validate_bands

COLUMNS = ["item_id", "criterion", "rater_type", "rater_id", "score", "period"]
RATER_TYPES = ("human", "judge")
# A period whose observed scale reaches this many times the other's is almost surely another scale.
SCALE_RATIO = 1.5


def _rater_types(values: pd.Series, input_name: str) -> pd.Series:
    kind = values.astype(str).str.strip().str.lower()
    bad = ~kind.isin(RATER_TYPES)
    if bad.any():
        raise EvalGuardInputError(
            f"input '{input_name}': column 'rater_type' must be 'human' or 'judge'; found "
            f"{offending_values(values[bad])}", input_name=input_name, column="rater_type")
    return kind


def _read(table: TableInput) -> tuple[pd.DataFrame, int]:
    df = read_required(table, COLUMNS)
    for col in ("item_id", "criterion", "rater_type", "period"):
        require_present(df, col, "ratings", col)
    kind = _rater_types(df["rater_type"], "ratings")
    score = pd.to_numeric(df["score"], errors="coerce")
    nonnumeric = score.isna() & df["score"].notna()
    if nonnumeric.any():
        raise EvalGuardInputError(
            f"input 'ratings': column 'score' must hold numbers; got {offending_values(df.loc[nonnumeric, 'score'])}",
            input_name="ratings", column="score")
    out = pd.DataFrame({"item_id": df["item_id"].astype(str), "criterion": df["criterion"].astype(str),
                        "rater_type": kind, "period": df["period"].astype(str), "score": score.astype(float)})
    missing = int(out["score"].isna().sum())
    return out.dropna(subset=["score"]), missing


KEYS = ["criterion", "item_id", "period", "rater_type"]
SUM_COLUMNS = ["count", "sum", "min", "max"]


def _sums_from_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The sufficient statistics: per item, criterion, period and rater type the ratings' count,
    sum (for the mean the decomposition needs), min and max (for the scale check)."""
    return df.groupby(KEYS, sort=True)["score"].agg(["count", "sum", "min", "max"]).reset_index()


def _read_sums(table: TableInput) -> tuple[pd.DataFrame, int]:
    from airflow_evalguard.checks.common.aggregates import whole_counts
    from airflow_evalguard.columns.validation import require_rows

    df = read_required(table, [*KEYS, *SUM_COLUMNS], optional=("missing",))
    for col in KEYS:
        require_present(df, col, "item_sums", col)
    kind = _rater_types(df["rater_type"], "item_sums")
    out = pd.DataFrame({"criterion": df["criterion"].astype(str), "item_id": df["item_id"].astype(str),
                        "period": df["period"].astype(str), "rater_type": kind,
                        "count": whole_counts(df["count"], "item_sums")})
    for col in ("sum", "min", "max"):
        values = pd.to_numeric(df[col], errors="coerce")
        require_rows(df[col], values.isna() & (out["count"] > 0), input_name="item_sums", column=col,
                     requirement="must be a number where count > 0")
        out[col] = values.astype(float)
    missing = int(whole_counts(df["missing"], "item_sums", "missing").sum()) if "missing" in df.columns else 0
    out = out[out["count"] > 0]
    # shards may repeat a key: add them up
    grouped = out.groupby(KEYS, sort=True).agg(count=("count", "sum"), sum=("sum", "sum"), min=("min", "min"),
                                                max=("max", "max")).reset_index()
    return grouped, missing


def _periods(df: pd.DataFrame, p: dict) -> tuple[str, str]:
    present = sorted(df["period"].unique())
    base, cand = p["baseline_period"], p["candidate_period"]
    if base is None or cand is None:
        if len(present) != 2:
            raise EvalGuardInputError(
                f"input 'ratings' has {len(present)} periods {present[:10]}; set baseline_period and candidate_period",
                input_name="ratings", column="period")
        base = base if base is not None else next(x for x in present if x != cand)
        cand = cand if cand is not None else next(x for x in present if x != base)
    for name, value in (("baseline_period", base), ("candidate_period", cand)):
        if str(value) not in present:
            raise EvalGuardInputError(f"param '{name}' {value!r} is not a period of input 'ratings' ({present[:10]})",
                                      input_name="ratings", column="period")
    if str(base) == str(cand):
        raise EvalGuardInputError("params baseline_period and candidate_period must differ")
    return str(base), str(cand)


def _check_scale(df: pd.DataFrame, base: str, cand: str, scale: list | None) -> None:
    if scale is not None:
        if len(scale) != 2 or not scale[0] < scale[1]:
            raise EvalGuardInputError(f"param 'scale' must be [low, high], got {scale!r}")
        out = (df["min"] < scale[0]) | (df["max"] > scale[1])
        if out.any():
            rows = df.loc[out].head(3)[["period", "criterion", "item_id", "min", "max"]].to_dict("records")
            raise EvalGuardInputError(f"input 'ratings': {int(out.sum())} item rating(s) with scores outside the scale "
                                      f"{scale}, e.g. {rows}", input_name="ratings", column="score")
        return
    ranges = {per: (float(g["min"].min()), float(g["max"].max())) for per, g in df.groupby("period")}
    (blo, bhi), (clo, chi) = ranges[base], ranges[cand]
    span_b, span_c = bhi - blo, chi - clo
    if min(span_b, span_c) > 0 and max(span_b, span_c) / min(span_b, span_c) >= SCALE_RATIO:
        raise EvalGuardInputError(
            f"input 'ratings': the periods seem to use different scales (baseline {blo:g}-{bhi:g}, candidate "
            f"{clo:g}-{chi:g}); rescale one, or pass param 'scale' if this is one scale",
            input_name="ratings", column="score")


def _paired_means(df: pd.DataFrame, base: str, cand: str) -> tuple[pd.DataFrame, int]:
    """Per item and criterion: mean human and judge score in each period, on items complete in both."""
    sub = df[df["period"].isin([base, cand])]
    totals = sub.set_index(KEYS)  # one row per key: both forms are grouped by KEYS already
    means = totals["sum"] / totals["count"]
    wide = means.unstack(["period", "rater_type"])
    cells = [(per, kind) for per in (base, cand) for kind in RATER_TYPES]
    for cell in cells:
        if cell not in wide.columns:
            raise EvalGuardInputError(f"input 'ratings': no {cell[1]} ratings in period {cell[0]!r}",
                                      input_name="ratings", column="rater_type")
    wide = wide[cells]
    n_before = wide.index.get_level_values("item_id").nunique()
    complete = wide.dropna()
    criteria = sorted(df["criterion"].unique())
    per_item = complete.reset_index().groupby("item_id")["criterion"].nunique()
    keep = per_item.index[per_item == len(criteria)]
    complete = complete[complete.index.get_level_values("item_id").isin(keep)]
    complete.columns = ["h_base", "j_base", "h_cand", "j_cand"]
    return complete, n_before - len(keep)


def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    from airflow_evalguard.stats.multiplicity import holm_adjust

    validate_bands(p["warn_at"], p["fail_at"])
    from airflow_evalguard.checks.common.aggregates import which_form

    if which_form(set(tables), ("ratings",), ("item_sums",)) == "rows":
        rows, missing = _read(tables["ratings"])
        df = _sums_from_rows(rows)
    else:
        df, missing = _read_sums(tables["item_sums"])
    base, cand = _periods(df, p)
    _check_scale(df[df["period"].isin([base, cand])], base, cand, p["scale"])
    wide, dropped = _paired_means(df, base, cand)
    criteria = sorted(wide.index.get_level_values("criterion").unique())
    if not criteria or wide.index.get_level_values("item_id").nunique() < 2:
        raise EvalGuardInputError(
            "input 'ratings': fewer than two items carry human and judge ratings for every criterion in both "
            f"periods ({base!r}, {cand!r}); the drift is measured on paired items", input_name="ratings", column="item_id")
    weights = _weights(p["weights"], criteria)
    kw = dict(alpha=p["alpha"], n_boot=p["n_boot"], seed=p["seed"])

    axes: dict[str, dict[str, Shift]] = {}
    levels: dict[str, dict[str, float]] = {}
    composite_items = 0.0
    for c in criteria:
        g = wide.xs(c, level="criterion").sort_index()
        rubric = (g["h_cand"] - g["h_base"]).to_numpy()
        judge = ((g["j_cand"] - g["h_cand"]) - (g["j_base"] - g["h_base"])).to_numpy()
        zero = np.zeros(len(g))
        axes[c] = {"rubric": paired_shift(rubric, zero, **kw), "judge": paired_shift(judge, zero, **kw)}
        levels[c] = {k: float(g[k].mean()) for k in ("h_base", "h_cand", "j_base", "j_cand")}
        composite_items = composite_items + weights[c] * (g["j_cand"] - g["j_base"]).to_numpy()
    composite = paired_shift(np.asarray(composite_items), np.zeros(len(np.atleast_1d(composite_items))), **kw)

    family = [(c, axis, axes[c][axis]) for c in criteria for axis in ("rubric", "judge")] + [(None, "composite", composite)]
    adjusted = holm_adjust([s.p for _, _, s in family])
    verdicts = {}
    for (c, axis, s), p_adj in zip(family, adjusted):
        verdicts[(c, axis)] = gate_rule(abs(s.value), s.worst_abs, p_adj < p["alpha"], p["warn_at"], p["fail_at"])
    return _result(criteria, axes, levels, weights, composite, verdicts, dropped, missing, base, cand, p)


def _weights(given: dict, criteria: list[str]) -> dict[str, float]:
    if not given:
        return {c: 1 / len(criteria) for c in criteria}
    unknown = sorted(set(map(str, given)) - set(criteria))
    lacking = sorted(set(criteria) - set(map(str, given)))
    if unknown or lacking:
        raise EvalGuardInputError(f"param 'weights' must name every criterion {criteria}; unknown {unknown}, "
                                  f"missing {lacking}")
    total = float(sum(given.values()))
    if total <= 0 or any(float(v) < 0 for v in given.values()):
        raise EvalGuardInputError("param 'weights' must be non-negative with a positive sum")
    return {str(k): float(v) / total for k, v in given.items()}


def _result(criteria, axes, levels, weights, composite, verdicts, dropped, missing, base, cand, p) -> CheckResult:
    metrics: dict[str, Metric] = {}
    findings: list[Finding] = []
    slices, slice_verdicts = [], []
    rows = []
    for c in criteria:
        r, j = axes[c]["rubric"], axes[c]["judge"]
        contribution = weights[c] * (r.value + j.value)
        metrics[f"rubric_axis[{c}]"] = Metric(r.value, r.ci_low, r.ci_high, n=r.n)
        metrics[f"judge_axis[{c}]"] = Metric(j.value, j.ci_low, j.ci_high, n=j.n)
        metrics[f"composite_contribution[{c}]"] = Metric(contribution, n=r.n)
        v = max(verdicts[(c, "rubric")], verdicts[(c, "judge")], key=lambda x: x.rank)
        lv = levels[c]
        slices.append(SliceResult(f"criterion={c}", v, {
            "rubric_axis": Metric(r.value, r.ci_low, r.ci_high, n=r.n),
            "judge_axis": Metric(j.value, j.ci_low, j.ci_high, n=j.n),
            "human.baseline": Metric(lv["h_base"]), "human.candidate": Metric(lv["h_cand"]),
            "judge.baseline": Metric(lv["j_base"]), "judge.candidate": Metric(lv["j_cand"]),
            "weight": Metric(weights[c]), "composite_contribution": Metric(contribution)}))
        slice_verdicts.append(SliceVerdict(f"criterion={c}", v))
        for axis, s in (("rubric", r), ("judge", j)):
            verdict = verdicts[(c, axis)]
            rows.append({"criterion": c, "axis": axis, "shift": s.value, "ci_low": s.ci_low, "ci_high": s.ci_high,
                         "n": s.n, "verdict": verdict.value})
            if verdict in (Verdict.FAIL, Verdict.WARN):
                findings.append(Finding(verdict.value.lower(), "RUBRIC_AXIS_DRIFT" if axis == "rubric" else "JUDGE_AXIS_DRIFT",
                                        _axis_words(c, axis, s, lv), f"criterion={c}"))
    rubric_part = sum(weights[c] * axes[c]["rubric"].value for c in criteria)
    judge_part = sum(weights[c] * axes[c]["judge"].value for c in criteria)
    metrics["composite_change"] = Metric(composite.value, composite.ci_low, composite.ci_high, n=composite.n)
    metrics["composite_change.rubric_axis"] = Metric(rubric_part)
    metrics["composite_change.judge_axis"] = Metric(judge_part)
    comp_verdict = verdicts[(None, "composite")]
    if comp_verdict in (Verdict.FAIL, Verdict.WARN):
        findings.append(Finding(comp_verdict.value.lower(), "COMPOSITE_DRIFT",
                                f"the composite moved {composite.value:+.3f} (CI {composite.ci_low:+.3f} to "
                                f"{composite.ci_high:+.3f})"))
    moved = [(c, axis) for c in criteria for axis in ("rubric", "judge") if verdicts[(c, axis)] is Verdict.FAIL]
    if moved and abs(composite.value) < p["warn_at"]:
        parts = ", ".join(f"{c} on the {axis} axis {axes[c][axis].value:+.2f}" for c, axis in moved)
        findings.append(Finding("fail", "HIDDEN_DRIFT",
                                f"the composite moved only {composite.value:+.3f} while {parts}: moves in opposite "
                                "directions cancel in the composite"))
    if dropped:
        findings.append(Finding("info", "INCOMPLETE_ITEMS_DROPPED",
                                f"{dropped} item(s) lack a human or judge rating for some criterion in one period and "
                                "are left out (the decomposition needs the same items everywhere)"))
    if missing:
        findings.append(Finding("info", "MISSING_SCORES", f"{missing} rating row(s) without a score were ignored"))
    inconclusive = [s.slice for s in slices if s.verdict is Verdict.INCONCLUSIVE]
    verdict, underpowered = overall_verdict([comp_verdict], [], slice_verdicts)
    if underpowered:
        findings.append(Finding("warn", "UNDERPOWERED_SLICE",
                                f"{len(underpowered)} criterion/criteria cannot rule out a shift of {p['fail_at']}: "
                                f"{', '.join(inconclusive)}"))
    summary = _summary(verdict, findings, composite, base, cand)
    return CheckResult(
        check="rubric_drift", verdict=verdict, summary=summary, metrics=metrics, slices=slices, findings=findings,
        evidence=pd.DataFrame(rows),
        params={"baseline_period_used": base, "candidate_period_used": cand, "weights_used": weights,
                "ci_method": "paired BCa bootstrap up to 2,000 items, paired t beyond",
                "multiplicity": "holm across every criterion axis and the composite"})


def _axis_words(c: str, axis: str, s: Shift, lv: dict) -> str:
    if axis == "rubric":
        return (f"{c}: humans moved {s.value:+.2f} ({lv['h_base']:.2f} -> {lv['h_cand']:.2f}, CI {s.ci_low:+.2f} to "
                f"{s.ci_high:+.2f}) and the judge with them: the rubric or its reading changed")
    return (f"{c}: the judge moved {s.value:+.2f} relative to humans (CI {s.ci_low:+.2f} to {s.ci_high:+.2f}; judge "
            f"{lv['j_base']:.2f} -> {lv['j_cand']:.2f}, humans {lv['h_base']:.2f} -> {lv['h_cand']:.2f})")


def _summary(verdict: Verdict, findings: list[Finding], composite: Shift, base: str, cand: str) -> str:
    hidden = next((f for f in findings if f.code == "HIDDEN_DRIFT"), None)
    if hidden:
        return f"Rubric drift hidden by the composite ({base} -> {cand}): {hidden.message}. Do not compare scores across these periods."
    drift = [f for f in findings if f.code in ("RUBRIC_AXIS_DRIFT", "JUDGE_AXIS_DRIFT", "COMPOSITE_DRIFT")
             and f.severity in ("fail", "warn")]
    if drift:
        return f"Scores drifted between {base} and {cand}: " + "; ".join(f.message for f in drift[:3]) + "."
    if verdict is Verdict.INCONCLUSIVE:
        return f"Too few paired items to rule out a criterion shift between {base} and {cand}."
    return (f"No rubric or judge drift between {base} and {cand} (composite {composite.value:+.3f}, "
            f"CI {composite.ci_low:+.3f} to {composite.ci_high:+.3f}).")


SPEC = CheckSpec(
    name="rubric_drift",
    summary="Did the rubric (humans) or the judge (relative to humans) drift, per criterion, behind a steady composite?",
    inputs={
        "ratings": InputSpec("long form: item_id, criterion, rater_type (human|judge), rater_id, score, period",
                             required=False),
        "item_sums": InputSpec("instead of ratings (pre-aggregated): item_id, criterion, period, rater_type, count, "
                               "sum, min, max of the scores, optional missing (NULL scores)", required=False),
    },
    params={
        "baseline_period": ParamSpec(None, str, "the baseline period (default: the first of exactly two)", nullable=True),
        "candidate_period": ParamSpec(None, str, "the candidate period (default: the other one)", nullable=True),
        "weights": ParamSpec({}, dict, "composite weight per criterion (default equal)"),
        "warn_at": ParamSpec(0.2, float, "absolute per-criterion shift that warns (score units)", minimum=0),
        "fail_at": ParamSpec(0.5, float, "absolute per-criterion shift that fails (score units)", minimum=0),
        "scale": ParamSpec(None, list, "[low, high] of the rating scale; scores outside are an error", nullable=True),
        "alpha": ParamSpec(0.05, float, "significance level; CIs are at 1 - alpha", minimum=1e-6, maximum=0.5),
        "n_boot": ParamSpec(2000, int, "bootstrap resamples", minimum=100, maximum=MAX_RESAMPLES),
        "seed": ParamSpec(0, int, "seed for the bootstrap", minimum=0, maximum=MAX_SEED),
    },
    decide=run,
)
