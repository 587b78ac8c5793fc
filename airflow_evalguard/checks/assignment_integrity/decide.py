"""assignment_integrity (problem 8): may this prompt experiment's lift be read at all?

When the routing hash and the prompt assembler share an input, "arm B" can quietly mean "long
prompts", and the lift is manufactured. Before data: a field both hashed and read by the
assembler fails. With data: sample ratio mismatch (chi-square, srm_alpha 0.001), covariate
balance (SMD beyond its band, significantly, Holm), dependence of the arm on each assembler input
(Cramér's V with a permutation p-value, Holm), and for A/A runs a lift that must include 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.aggregates import which_form
from airflow_evalguard.checks.assignment.tables import (ARM, FIELD_COUNT_COLUMNS, ID, MOMENT_COLUMNS, ArmTables,
                                                        FieldTable, from_aggregates, from_units, is_numeric)
from airflow_evalguard.checks.common.ratings import read_required
from airflow_evalguard.core.param_limits import MAX_RESAMPLES, MAX_SEED
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import CheckResult, Finding, Metric
from airflow_evalguard.stats.balance import Moments, beyond_band_p, smd_binary, smd_from_moments, smd_se
from airflow_evalguard.stats.dependence import dependence_test
from airflow_evalguard.stats.multiplicity import holm_adjust
from airflow_evalguard.stats.welch import welch
from airflow_evalguard.verdicts import Verdict, worst

SRM_DETECT = 0.02  # share deviation the SRM test must be able to see (2 points)


def srm_units_needed(shares: np.ndarray, alpha: float, power: float = 0.8) -> int:
    """Units for the chi-square SRM test to detect a 2-point share shift between the two largest
    arms with `power` at `alpha` (noncentral chi-square, scipy.stats.ncx2)."""
    from scipy.stats import chi2, ncx2

    order = np.sort(shares)[::-1]
    df = len(shares) - 1
    per_unit = SRM_DETECT**2 * (1 / order[0] + 1 / order[1])  # noncentrality per unit
    crit = chi2.ppf(1 - alpha, df)
    lo, hi = 1, 1 << 30
    while lo < hi:
        mid = (lo + hi) // 2
        if ncx2.sf(crit, df, per_unit * mid) >= power:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _describe_leak(name: str, table: FieldTable, arm_labels: list[str]) -> str:
    """'arm B got 71% of units with prompt_tokens 2000-8000 (50% overall)' for the strongest cell."""
    counts = table.counts
    overall = counts.sum(axis=0) / counts.sum()
    within = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    gap = (within - overall) * np.sqrt(counts.sum(axis=1, keepdims=True))  # weigh by the level's size
    level, arm = np.unravel_index(np.argmax(gap), gap.shape)
    label = table.levels[level]
    what = f"{name} {label}" if table.how == "quartiles" else f"{name}={label}"
    return f"arm {arm_labels[arm]} got {within[level, arm]:.0%} of units with {what} ({overall[arm]:.0%} of all units)"


def _describe_shift(name: str, a: Moments, b: Moments, arm_a: str, arm_b: str) -> str:
    return f"arm {arm_b}'s mean {name} is {b.mean:,.4g} against {a.mean:,.4g} in arm {arm_a}"


def _read(tables: dict[str, TableInput], p: dict, fields: list[str]) -> ArmTables:
    metric = [p["metric"]] if p["metric"] else []
    form = which_form(set(tables) - {"field_counts", "moments"}, ("units",), ("arm_counts",))
    if form == "rows":
        extra = sorted(set(tables) & {"field_counts", "moments"})
        if extra:
            raise EvalGuardInputError(f"input(s) {extra} go with 'arm_counts' (pre-aggregated), not with 'units'")
        needed = list(dict.fromkeys([ID, ARM, *p["covariates"], *fields, *metric]))
        units = tables["units"].read(needed)
        if len(units) == 0:
            raise EvalGuardInputError("input 'units' is empty", input_name="units")
        dup = units[ID].duplicated()
        if dup.any():
            raise EvalGuardInputError(f"input 'units': duplicate unit_id(s) {units.loc[dup, ID].head(5).tolist()}",
                                      input_name="units", column=ID)
        for cov in p["covariates"]:
            if units[cov].nunique(dropna=False) < 2:
                raise EvalGuardInputError(f"input 'units': covariate '{cov}' is constant; nothing to balance-check",
                                          input_name="units", column=cov)
        numeric = [c for c in p["covariates"] if is_numeric(units[c])]
        tabulated = list(dict.fromkeys([*(c for c in p["covariates"] if c not in numeric), *fields]))
        return from_units(units, tabulated, list(dict.fromkeys(numeric + metric)))
    columns = {"arm_counts": [ARM, "count"], "field_counts": FIELD_COUNT_COLUMNS, "moments": MOMENT_COLUMNS}
    read = {name: read_required(tables[name], cols) for name, cols in columns.items() if name in tables}
    out = from_aggregates(read["arm_counts"], read.get("field_counts"), read.get("moments"))
    for cov in p["covariates"]:
        if cov in out.moments:
            m = out.moments[cov]
            total = Moments(*(sum(getattr(x, f) for x in m) for f in ("count", "total", "total_sq")))
            if total.count == 0 or (total.count == out.units.sum() and not total.var > 1e-12 * max(total.mean**2, 1e-300)):
                raise EvalGuardInputError(f"input 'moments': covariate '{cov}' is constant; nothing to balance-check",
                                          input_name="moments", column=cov)
        elif cov in out.fields:
            if len(out.fields[cov].levels) < 2:
                raise EvalGuardInputError(f"input 'field_counts': covariate '{cov}' is constant; nothing to "
                                          "balance-check", input_name="field_counts", column=cov)
        else:
            raise EvalGuardInputError(f"covariate '{cov}' is in neither input 'moments' (numeric) nor "
                                      "'field_counts' (categorical)", column=cov)
    missing = [f for f in fields if f not in out.fields]
    if missing:
        raise EvalGuardInputError(f"input 'field_counts' has no table for assembler input(s) {missing} (bin numeric "
                                  "ones)", input_name="field_counts", column="field")
    if p["aa"] and p["metric"] and p["metric"] not in out.moments:
        raise EvalGuardInputError(f"param 'aa': input 'moments' has no column '{p['metric']}'", input_name="moments",
                                  column="column")
    return out


def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    if not 0 <= p["smd_warn"] <= p["smd_fail"]:
        raise EvalGuardInputError("params: need 0 <= smd_warn <= smd_fail")
    if p["aa"] and not p["metric"]:
        raise EvalGuardInputError("param 'aa' needs param 'metric' (the column whose lift must be 0)")
    shared = sorted(set(p["hash_inputs"]) & set(p["assembler_inputs"]))
    fields = [f for f in p["assembler_inputs"] if f != ARM]
    stats = _read(tables, p, fields)
    observed_arms = stats.arms
    split = {str(k): float(v) for k, v in (p["expected_split"] or {}).items()}
    source = "units" if stats.form == "units" else "arm_counts"
    if split:
        unknown = sorted(set(observed_arms) - set(split))
        if unknown:
            raise EvalGuardInputError(f"input '{source}': arm(s) {unknown} not in expected_split {sorted(split)}",
                                      input_name=source, column=ARM)
        if abs(sum(split.values()) - 1) > 1e-6 or min(split.values()) <= 0:
            raise EvalGuardInputError(f"param 'expected_split': shares must be positive and sum to 1, got {split}")
        arm_labels = list(split)
    else:
        arm_labels = observed_arms
        split = {a: 1 / len(arm_labels) for a in arm_labels}
    if len(arm_labels) < 2:
        raise EvalGuardInputError(f"input '{source}': one arm only ({arm_labels}); nothing to compare",
                                  input_name=source, column=ARM)
    # columns of the statistics, in expected_split order (an expected arm with no units is all zeros)
    where = [observed_arms.index(a) if a in observed_arms else -1 for a in arm_labels]

    def by_arm(columns: np.ndarray) -> np.ndarray:
        padded = np.concatenate([columns, np.zeros(columns.shape[:-1] + (1,))], axis=-1)
        return padded[..., where]

    counts = by_arm(stats.units)
    n = int(counts.sum())
    empty = Moments(0.0, 0.0, 0.0)
    moments = {c: [m[i] if i >= 0 else empty for i in where] for c, m in stats.moments.items()}
    field_tables = {f: FieldTable(t.levels, by_arm(t.counts), t.how) for f, t in stats.fields.items()}
    expected_shares = np.array([split[a] for a in arm_labels])

    metrics: dict[str, Metric] = {}
    findings: list[Finding] = []
    verdicts: list[Verdict] = []
    stories: list[str] = []  # covariate imbalances
    leaks: list[str] = []  # assembler inputs that predict the arm: the summary names these first

    # ---- config, before any data --------------------------------------------------------------
    for name in shared:
        findings.append(Finding("fail", "SHARED_INPUT",
                                f"'{name}' is both hashed for routing and read by the prompt assembler: the arm can "
                                "follow the prompt's content, so the lift is not a treatment effect"))
        verdicts.append(Verdict.FAIL)

    # ---- sample ratio mismatch ------------------------------------------------------------------
    from scipy.special import chdtrc

    exp_counts = expected_shares * n
    srm_stat = float(np.sum((counts - exp_counts) ** 2 / exp_counts))
    srm_p = float(chdtrc(len(arm_labels) - 1, srm_stat))
    need = srm_units_needed(expected_shares, p["srm_alpha"])
    metrics["srm_p"] = Metric(srm_p, n=n)
    metrics["srm_units_needed"] = Metric(need)
    for a, c, e in zip(arm_labels, counts, exp_counts):
        metrics[f"arm_count[{a}]"] = Metric(int(c))
        metrics[f"arm_expected[{a}]"] = Metric(float(e))
    if srm_p < p["srm_alpha"]:
        worst_arm = int(np.argmax(np.abs(counts - exp_counts) / exp_counts))
        findings.append(Finding("fail", "SAMPLE_RATIO_MISMATCH",
                                f"arm {arm_labels[worst_arm]} has {int(counts[worst_arm]):,} units, {exp_counts[worst_arm]:,.0f} expected "
                                f"({counts[worst_arm] / n:.1%} vs {expected_shares[worst_arm]:.1%}); chi-square p {srm_p:.2g} < {p['srm_alpha']}"))
        verdicts.append(Verdict.FAIL)
    elif n < need:
        findings.append(Finding("warn", "SRM_UNDERPOWERED",
                                f"{n:,} units cannot detect a {SRM_DETECT:.0%} share deviation at srm_alpha {p['srm_alpha']}; "
                                f"about {need:,} would"))
        verdicts.append(Verdict.INCONCLUSIVE)

    # ---- covariate balance (each arm vs the first) ------------------------------------------------
    cov_rows = []
    for cov in p["covariates"]:
        for j in range(1, len(arm_labels)):
            if cov in moments:
                d, method = smd_from_moments(moments[cov][0], moments[cov][j]), "smd"
            else:
                table = field_tables[cov].counts
                best = 0.0
                for level in table:  # each level as a 0/1 indicator
                    dl = smd_binary(level[0] / counts[0], level[j] / counts[j])
                    best = dl if abs(dl) > abs(best) else best
                d, method = best, "max_level_smd"
            se = smd_se(d, int(counts[0]), int(counts[j]))
            cov_rows.append((cov, j, d, se, method))
    p_warn = holm_adjust([beyond_band_p(d, se, p["smd_warn"]) for _, _, d, se, _ in cov_rows])
    p_fail = holm_adjust([beyond_band_p(d, se, p["smd_fail"]) for _, _, d, se, _ in cov_rows])
    from scipy.special import ndtri

    z = ndtri(1 - p["alpha"] / 2)
    smd_method = {}
    for (cov, j, d, se, method), pw, pf in zip(cov_rows, p_warn, p_fail):
        key = cov if len(arm_labels) == 2 else f"{cov}:{arm_labels[j]}"
        metrics[f"smd[{key}]"] = Metric(d, d - z * se, d + z * se, n=n)
        smd_method[cov] = method
        level = "fail" if pf < p["alpha"] else ("warn" if pw < p["alpha"] else None)
        if level:
            story = (_describe_shift(cov, moments[cov][0], moments[cov][j], arm_labels[0], arm_labels[j])
                     if cov in moments else _describe_leak(cov, field_tables[cov], arm_labels))
            findings.append(Finding(level, "COVARIATE_IMBALANCE",
                                    f"{cov}: SMD {d:+.2f} (CI {d - z * se:+.2f} to {d + z * se:+.2f}) is beyond "
                                    f"{p['smd_fail'] if level == 'fail' else p['smd_warn']} (p {pf if level == 'fail' else pw:.2g} after Holm); {story}"))
            verdicts.append(Verdict.FAIL if level == "fail" else Verdict.WARN)
            stories.append(story)

    # ---- dependence of the arm on each assembler input ---------------------------------------------
    dep = []
    for name in fields:
        v, pv, method = dependence_test(field_tables[name].counts, n_perm=p["n_perm"], seed=p["seed"])
        dep.append((name, v, pv, method, field_tables[name].how))
    dep_adj = holm_adjust([pv for _, _, pv, _, _ in dep])
    dep_method = {}
    for (name, v, pv, method, how), padj in zip(dep, dep_adj):
        metrics[f"dependence[{name}]"] = Metric(v, n=n)
        metrics[f"dependence_p[{name}]"] = Metric(padj, n=n)
        dep_method[name] = f"cramers_v on {how}, {method} p-value"
        if padj < p["alpha"]:
            story = _describe_leak(name, field_tables[name], arm_labels)
            findings.append(Finding("fail", "ASSIGNMENT_LEAK",
                                    f"the assembler input '{name}' predicts the arm (Cramér's V {v:.2f}, p {padj:.2g} after Holm): {story}"))
            verdicts.append(Verdict.FAIL)
            leaks.append(story)

    # ---- A/A ---------------------------------------------------------------------------------------
    if p["aa"]:
        a, b = moments[p["metric"]][0], moments[p["metric"]][1]
        res = welch(a, b, alpha=p["alpha"])
        metrics["aa_lift"] = Metric(res.diff, res.ci_low, res.ci_high, n=int(a.count + b.count))
        if res.p < p["alpha"]:
            findings.append(Finding("fail", "AA_NONZERO_LIFT",
                                    f"an A/A run shows a lift of {res.diff:+.4g} in {p['metric']} (CI {res.ci_low:+.4g} to "
                                    f"{res.ci_high:+.4g}, Welch p {res.p:.2g}): the pipeline manufactures differences"))
            verdicts.append(Verdict.FAIL)

    verdict = worst(verdicts)
    summary = _summary(verdict, findings, leaks + stories, n)
    return CheckResult(
        check="assignment_integrity", verdict=verdict, summary=summary, metrics=metrics, findings=findings,
        evidence=pd.DataFrame({"arm": arm_labels, "observed": counts.astype(int), "expected": exp_counts,
                               "observed_share": counts / n, "expected_share": expected_shares}),
        params={
            "expected_split_effective": split,
            "srm_test": "chi-square goodness of fit",
            "srm_power": f"units to detect a {SRM_DETECT:.0%} share shift at 80% power (noncentral chi-square)",
            "smd_method": smd_method,
            "smd_test": "one-sided z test of |SMD| beyond the band, Holm across covariates",
            "dependence_method": dep_method,
            "multiplicity": "holm across covariates; holm across assembler inputs",
            "aa_test": "welch t from per-arm count, sum and sum of squares",
            "input_form": stats.form,
        },
    )


def _summary(verdict: Verdict, findings: list[Finding], stories: list[str], n: int) -> str:
    codes = [f.code for f in findings if f.severity == "fail"]
    if verdict is Verdict.FAIL:
        how = f" How the lift could have been manufactured: {stories[0]}." if stories else ""
        return f"Do not read this experiment's lift: {', '.join(dict.fromkeys(codes))}.{how}"
    if verdict is Verdict.WARN:
        return f"Assignment mostly holds but covariates drift: {stories[0] if stories else 'see findings'}."
    if verdict is Verdict.INCONCLUSIVE:
        rest = f" Also: {stories[0]}." if stories else " No leak or imbalance was found."
        return f"{n:,} units are too few to rule out a sample ratio mismatch.{rest}"
    return f"Assignment looks honest across {n:,} units: no sample ratio mismatch, leak or imbalance."


SPEC = CheckSpec(
    name="assignment_integrity",
    summary="Is the A/B assignment honest: no SRM, no shared hash/assembler input, no leak, balanced?",
    inputs={
        "units": InputSpec("one row per unit: unit_id, arm, covariates, assembler inputs, optional metric",
                           required=False),
        "arm_counts": InputSpec("instead of units (pre-aggregated): arm, count", required=False),
        "field_counts": InputSpec("with arm_counts: field, value, arm, count for categorical covariates and every "
                                  "assembler input (numeric ones binned)", required=False),
        "moments": InputSpec("with arm_counts: column, arm, count, sum, sum_sq for numeric covariates and the A/A "
                             "metric", required=False),
    },
    params={
        "expected_split": ParamSpec({}, dict, "arm -> expected share (default: equal over observed arms)"),
        "srm_alpha": ParamSpec(0.001, float, "significance level of the SRM test", minimum=1e-9, maximum=0.5),
        "covariates": ParamSpec([], list, "columns to balance-check"),
        "hash_inputs": ParamSpec([], list, "fields the routing hash reads (from the experiment config)"),
        "assembler_inputs": ParamSpec([], list, "fields the prompt assembler reads (from the experiment config)"),
        "smd_warn": ParamSpec(0.1, float, "SMD band that warns", minimum=0),
        "smd_fail": ParamSpec(0.25, float, "SMD band that fails", minimum=0),
        "aa": ParamSpec(False, bool, "both arms got the same treatment: the lift must include 0"),
        "metric": ParamSpec(None, str, "outcome column for the A/A lift", nullable=True),
        "alpha": ParamSpec(0.05, float, "significance for balance, dependence and A/A tests", minimum=1e-6, maximum=0.5),
        "n_perm": ParamSpec(999, int, "permutations for the dependence p-values", minimum=99, maximum=MAX_RESAMPLES),
        "seed": ParamSpec(0, int, "seed for the permutations", minimum=0, maximum=MAX_SEED),
    },
    decide=run,
)
