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

from airflow_evalguard.checks.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.columns.strata import encode_dimension
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import CheckResult, Finding, Metric
from airflow_evalguard.stats.balance import beyond_band_p, smd_binary, smd_numeric, smd_se
from airflow_evalguard.stats.dependence import dependence_test
from airflow_evalguard.stats.multiplicity import holm_adjust
from airflow_evalguard.verdicts import Verdict, worst

ID, ARM = "unit_id", "arm"
SRM_DETECT = 0.02  # share deviation the SRM test must be able to see (2 points)
NUMERIC_BINS = 4  # numeric fields are tested for dependence by quartile


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


def _codes(values: pd.Series) -> tuple[np.ndarray, list[str], str]:
    """Integer codes for a field: categories as they are, numbers by quartile."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype) \
            and values.nunique() > NUMERIC_BINS * 2:
        edges = np.unique(np.nanquantile(values.to_numpy(float), np.linspace(0, 1, NUMERIC_BINS + 1)))
        bins = np.clip(np.searchsorted(edges, values.to_numpy(float), side="right") - 1, 0, len(edges) - 2)
        bins = np.where(values.isna().to_numpy(), len(edges) - 1, bins)
        last = len(edges) - 2
        labels = [f"<= {edges[1]:,.6g}" if i == 0 else (f"> {edges[i]:,.6g}" if i == last else f"in {edges[i]:,.6g}-{edges[i + 1]:,.6g}")
                  for i in range(len(edges) - 1)] + ["missing"]
        used = np.unique(bins)
        remap = np.full(len(labels), -1)
        remap[used] = np.arange(len(used))
        return remap[bins], [labels[u] for u in used], "quartiles"
    dim = encode_dimension("field", [values])
    return dim.codes[0], dim.levels, "levels"


def _describe_leak(field: str, values: pd.Series, arms: np.ndarray, arm_labels: list[str]) -> str:
    """'arm B got 71% of units with prompt_tokens 2000-8000 (50% overall)' for the strongest cell."""
    codes, labels, how = _codes(values)
    n_arm = len(arm_labels)
    table = np.bincount(codes * n_arm + arms, minlength=len(labels) * n_arm).reshape(len(labels), n_arm).astype(float)
    overall = table.sum(axis=0) / table.sum()
    within = table / np.maximum(table.sum(axis=1, keepdims=True), 1)
    gap = (within - overall) * np.sqrt(table.sum(axis=1, keepdims=True))  # weigh by the level's size
    level, arm = np.unravel_index(np.argmax(gap), gap.shape)
    what = f"{field} {labels[level]}" if how == "quartiles" else f"{field}={labels[level]}"
    return f"arm {arm_labels[arm]} got {within[level, arm]:.0%} of units with {what} ({overall[arm]:.0%} of all units)"


def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    if not 0 <= p["smd_warn"] <= p["smd_fail"]:
        raise EvalGuardInputError("params: need 0 <= smd_warn <= smd_fail")
    shared = sorted(set(p["hash_inputs"]) & set(p["assembler_inputs"]))
    fields = [f for f in p["assembler_inputs"] if f != ARM]
    needed = list(dict.fromkeys([ID, ARM, *p["covariates"], *fields] + ([p["metric"]] if p["metric"] else [])))
    units = tables["units"].read(needed)
    if len(units) == 0:
        raise EvalGuardInputError("input 'units' is empty", input_name="units")
    dup = units[ID].duplicated()
    if dup.any():
        raise EvalGuardInputError(f"input 'units': duplicate unit_id(s) {units.loc[dup, ID].head(5).tolist()}",
                                  input_name="units", column=ID)
    arm_dim = encode_dimension(ARM, [units[ARM]])
    observed_arms = arm_dim.levels
    split = {str(k): float(v) for k, v in (p["expected_split"] or {}).items()}
    if split:
        unknown = sorted(set(observed_arms) - set(split))
        if unknown:
            raise EvalGuardInputError(f"input 'units': arm(s) {unknown} not in expected_split {sorted(split)}",
                                      input_name="units", column=ARM)
        if abs(sum(split.values()) - 1) > 1e-6 or min(split.values()) <= 0:
            raise EvalGuardInputError(f"param 'expected_split': shares must be positive and sum to 1, got {split}")
        arm_labels = list(split)
    else:
        arm_labels = observed_arms
        split = {a: 1 / len(arm_labels) for a in arm_labels}
    if len(arm_labels) < 2:
        raise EvalGuardInputError(f"input 'units': one arm only ({arm_labels}); nothing to compare", input_name="units",
                                  column=ARM)
    index = {a: i for i, a in enumerate(arm_labels)}
    arms = np.array([index[observed_arms[c]] for c in range(len(observed_arms))])[arm_dim.codes[0]]
    n = len(units)
    counts = np.bincount(arms, minlength=len(arm_labels)).astype(float)
    expected_shares = np.array([split[a] for a in arm_labels])

    metrics: dict[str, Metric] = {}
    findings: list[Finding] = []
    verdicts: list[Verdict] = []
    stories: list[str] = []

    # ---- config, before any data --------------------------------------------------------------
    for field in shared:
        findings.append(Finding("fail", "SHARED_INPUT",
                                f"'{field}' is both hashed for routing and read by the prompt assembler: the arm can "
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
        values = units[cov]
        if values.nunique(dropna=False) < 2:
            raise EvalGuardInputError(f"input 'units': covariate '{cov}' is constant; nothing to balance-check",
                                      input_name="units", column=cov)
        numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
        # the column's encoding is the same for every arm pair: compute it once per covariate
        if numeric:
            x = values.to_numpy(float)
            present = ~np.isnan(x)
        else:
            dim = encode_dimension(cov, [values])
            indicators = [dim.codes[0] == lv for lv in range(len(dim.levels))]
        for j in range(1, len(arm_labels)):
            a_mask, b_mask = arms == 0, arms == j
            if numeric:
                d = smd_numeric(x[a_mask & present], x[b_mask & present])
                method = "smd"
            else:
                best = 0.0
                for ind in indicators:
                    dl = smd_binary(ind[a_mask].mean(), ind[b_mask].mean())
                    best = dl if abs(dl) > abs(best) else best
                d, method = best, "max_level_smd"
            se = smd_se(d, int(a_mask.sum()), int(b_mask.sum()))
            cov_rows.append((cov, arm_labels[j], d, se, method))
    p_warn = holm_adjust([beyond_band_p(d, se, p["smd_warn"]) for _, _, d, se, _ in cov_rows])
    p_fail = holm_adjust([beyond_band_p(d, se, p["smd_fail"]) for _, _, d, se, _ in cov_rows])
    from scipy.special import ndtri

    z = ndtri(1 - p["alpha"] / 2)
    smd_method = {}
    for (cov, arm, d, se, method), pw, pf in zip(cov_rows, p_warn, p_fail):
        key = cov if len(arm_labels) == 2 else f"{cov}:{arm}"
        metrics[f"smd[{key}]"] = Metric(d, d - z * se, d + z * se, n=n)
        smd_method[cov] = method
        level = "fail" if pf < p["alpha"] else ("warn" if pw < p["alpha"] else None)
        if level:
            story = _describe_leak(cov, units[cov], arms, arm_labels)
            findings.append(Finding(level, "COVARIATE_IMBALANCE",
                                    f"{cov}: SMD {d:+.2f} (CI {d - z * se:+.2f} to {d + z * se:+.2f}) is beyond "
                                    f"{p['smd_fail'] if level == 'fail' else p['smd_warn']} (p {pf if level == 'fail' else pw:.2g} after Holm); {story}"))
            verdicts.append(Verdict.FAIL if level == "fail" else Verdict.WARN)
            stories.append(story)

    # ---- dependence of the arm on each assembler input ---------------------------------------------
    dep = []
    for field in fields:
        codes, _, how = _codes(units[field])
        v, pv, method = dependence_test(codes, arms, n_perm=p["n_perm"], seed=p["seed"])
        dep.append((field, v, pv, method, how))
    dep_adj = holm_adjust([pv for _, _, pv, _, _ in dep])
    dep_method = {}
    for (field, v, pv, method, how), padj in zip(dep, dep_adj):
        metrics[f"dependence[{field}]"] = Metric(v, n=n)
        metrics[f"dependence_p[{field}]"] = Metric(padj, n=n)
        dep_method[field] = f"cramers_v on {how}, {method} p-value"
        if padj < p["alpha"]:
            story = _describe_leak(field, units[field], arms, arm_labels)
            findings.append(Finding("fail", "ASSIGNMENT_LEAK",
                                    f"the assembler input '{field}' predicts the arm (Cramér's V {v:.2f}, p {padj:.2g} after Holm): {story}"))
            verdicts.append(Verdict.FAIL)
            stories.append(story)

    # ---- A/A ---------------------------------------------------------------------------------------
    if p["aa"]:
        if not p["metric"]:
            raise EvalGuardInputError("param 'aa' needs param 'metric' (the column whose lift must be 0)")
        from scipy.stats import ttest_ind

        y = pd.to_numeric(units[p["metric"]], errors="coerce").to_numpy(float)
        a, b = y[(arms == 0) & ~np.isnan(y)], y[(arms == 1) & ~np.isnan(y)]
        res = ttest_ind(b, a, equal_var=False)
        ci = res.confidence_interval(1 - p["alpha"])
        lift = float(b.mean() - a.mean())
        metrics["aa_lift"] = Metric(lift, float(ci.low), float(ci.high), n=len(a) + len(b))
        if res.pvalue < p["alpha"]:
            findings.append(Finding("fail", "AA_NONZERO_LIFT",
                                    f"an A/A run shows a lift of {lift:+.4g} in {p['metric']} (CI {ci.low:+.4g} to {ci.high:+.4g}, "
                                    f"Welch p {res.pvalue:.2g}): the pipeline manufactures differences"))
            verdicts.append(Verdict.FAIL)

    verdict = worst(verdicts)
    summary = _summary(verdict, findings, stories, n)
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
    inputs={"units": InputSpec("one row per unit: unit_id, arm, covariates, assembler inputs, optional metric")},
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
        "n_perm": ParamSpec(999, int, "permutations for the dependence p-values", minimum=99),
        "seed": ParamSpec(0, int, "seed for the permutations"),
    },
    run=run,
)
