"""sampling_window (problem 6): was the eval set sampled the way production traffic arrives?

An offline eval sampled by a 3 am cron is a survey of overnight retries and one region's
traffic. This check compares the sample's mix over hour of day (always) and any other stratum
columns with a production reference, by total variation distance with bootstrap CIs, a
chi-square test of the mix (Holm across dimensions) and stratum coverage; it also produces
post-stratification (or raking) weights so the eval can be re-weighted downstream.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.aggregates import whole_counts
from airflow_evalguard.core.param_limits import MAX_RESAMPLES, MAX_SEED
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.columns.strata import Dimension, encode_dimension, joint_cells
from airflow_evalguard.columns.timestamps import local_hour, validate_timezone
from airflow_evalguard.columns.validation import require_rows
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import CheckResult, Finding, Metric
from airflow_evalguard.stats.coverage import coverage, coverage_shortfall_p, n_to_bound_tvd, n_to_cover
from airflow_evalguard.stats.mix import bootstrap_distances, mix_test, shares
from airflow_evalguard.stats.multiplicity import holm_adjust
from airflow_evalguard.stats.weights import kish_ess, post_stratification_weights, raking_weights
from airflow_evalguard.verdicts import Effect, Verdict, judge_family, validate_bands, worst

HOUR = "hour_of_day"
COUNT = "count"
# Over/under-represented strata named in findings: enough to explain this share of the TVD.
EXPLAIN_SHARE = 0.8
MAX_NAMED = 3


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------
def _read_counts(table: TableInput, p: dict, dims: list[str], *, whole: bool) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Pre-aggregated rows: the stratum columns, `hour_of_day` (or the timestamp) and `count`.

    The form a warehouse GROUP BY returns (see `airflow_evalguard.sources`). Sample counts must be
    whole numbers: the bootstrap and the tests resample them as counts of rows."""
    ts, name = p["timestamp_column"], table.name
    available = table.columns()
    hour_source = HOUR if HOUR in available else ts
    if hour_source not in available:
        raise EvalGuardInputError(
            f"input '{name}': pre-aggregated counts need a '{HOUR}' column (or '{ts}'); it has {available[:20]}",
            input_name=name, column=HOUR)
    df = table.read(dims + [hour_source, COUNT])
    if whole:
        counts = pd.Series(whole_counts(df[COUNT], name))
    else:
        counts = pd.to_numeric(df[COUNT], errors="coerce")
        require_rows(df[COUNT], counts.isna() | (counts < 0), input_name=name, column=COUNT,
                     requirement="must be a non-negative number")
    if float(counts.sum()) <= 0:
        raise EvalGuardInputError(f"input '{name}': zero total count", input_name=name, column=COUNT)
    if hour_source == HOUR:
        hours = pd.to_numeric(df[HOUR], errors="coerce")
        require_rows(df[HOUR], hours.isna() | ~hours.isin(range(24)), input_name=name, column=HOUR,
                     requirement="must hold whole hours 0-23")
        hours = hours.to_numpy(dtype=np.int64)
    else:
        hours = local_hour(df[ts], p["timezone"], input_name=name, column=ts)
    return df, hours, counts.to_numpy(dtype=float)


def _read_sample(table: TableInput, p: dict, dims: list[str]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray | None]:
    """Rows (one per eval item), or pre-aggregated counts per stratum (then `counts` is returned)."""
    if COUNT in table.columns():
        if p["id_column"]:
            raise EvalGuardInputError("param 'id_column' needs a row-level sample; input 'sample' holds counts",
                                      input_name="sample", column=COUNT)
        return _read_counts(table, p, dims, whole=True)
    ts = p["timestamp_column"]
    cols = [ts] + dims + ([p["id_column"]] if p["id_column"] and p["id_column"] not in dims else [])
    df = table.read(cols)
    if len(df) == 0:
        raise EvalGuardInputError("input 'sample' is empty: there is nothing to compare", input_name="sample")
    hours = local_hour(df[ts], p["timezone"], input_name="sample", column=ts)
    return df, hours, None


def _read_reference(table: TableInput, p: dict, dims: list[str]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray | None]:
    """Rows like the sample, or pre-aggregated rows with a `count` column (and `hour_of_day`)."""
    ts = p["timestamp_column"]
    if COUNT not in table.columns():
        df = table.read([ts] + dims)
        if len(df) == 0:
            raise EvalGuardInputError("input 'reference' is empty: zero total count", input_name="reference")
        return df, local_hour(df[ts], p["timezone"], input_name="reference", column=ts), None
    return _read_counts(table, p, dims, whole=False)


# ---------------------------------------------------------------------------------------------
# words
# ---------------------------------------------------------------------------------------------
def _pct(x: float) -> str:
    return f"{100 * x:.0f}%" if x >= 0.01 or x == 0 else f"{100 * x:.1f}%"


def _hour_runs(hours: list[int]) -> list[list[int]]:
    """Contiguous runs of hours, wrapping around midnight."""
    chosen = sorted(set(hours))
    runs: list[list[int]] = []
    for h in chosen:
        if runs and h == runs[-1][-1] + 1:
            runs[-1].append(h)
        else:
            runs.append([h])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 23:
        runs[0] = runs.pop() + runs[0]
    return runs


def _pick(diff: np.ndarray, sign: int) -> list[int]:
    """Levels whose share gap (in direction `sign`) explains most of the distance."""
    gaps = sign * diff
    order = [i for i in np.argsort(-gaps) if gaps[i] > 0]
    total = float(np.sum(gaps[gaps > 0]))
    picked, acc = [], 0.0
    for i in order:
        picked.append(int(i))
        acc += float(gaps[i])
        if acc >= EXPLAIN_SHARE * total:
            break
    return picked


def describe_gaps(dim: Dimension, p: np.ndarray, q: np.ndarray, timezone: str) -> tuple[list[str], list[str]]:
    """Plain-language phrases for the over- and under-represented strata of one dimension."""
    diff = p - q
    phrases = []
    for sign in (1, -1):
        picked = _pick(diff, sign)
        groups: list[list[int]]
        if dim.name == HOUR:
            hour_of = {int(dim.levels[i]): i for i in range(len(dim.levels))}
            groups = [[hour_of[h] for h in run] for run in _hour_runs([int(dim.levels[i]) for i in picked])]
        else:
            groups = [[i] for i in picked]
        groups.sort(key=lambda g: -sign * float(np.sum(diff[g])))
        words = []
        for g in groups[:MAX_NAMED]:
            if dim.name == HOUR:
                first, last = int(dim.levels[g[0]]), int(dim.levels[g[-1]])
                label = f"{first:02d}:00-{(last + 1) % 24:02d}:00 {timezone}"
            else:
                label = f"{dim.name}={dim.levels[g[0]]}"
            words.append(f"{label} holds {_pct(float(np.sum(p[g])))} of the sample and {_pct(float(np.sum(q[g])))} of traffic")
        phrases.append(words)
    return phrases[0], phrases[1]


# ---------------------------------------------------------------------------------------------
# the check
# ---------------------------------------------------------------------------------------------
def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    validate_bands(p["warn_at"], p["fail_at"])
    validate_timezone(p["timezone"])
    if p["timestamp_column"] in p["dimensions"]:
        raise EvalGuardInputError("param 'dimensions' must not contain the timestamp column; hour_of_day is derived from it")
    user_dims = [d for d in dict.fromkeys(p["dimensions"]) if d != HOUR]

    sample_df, sample_hours, sample_counts = _read_sample(tables["sample"], p, user_dims)
    ref_df, ref_hours, ref_weights = _read_reference(tables["reference"], p, user_dims)
    n = int(sample_counts.sum()) if sample_counts is not None else len(sample_df)

    dims = [encode_dimension(HOUR, [pd.Series(sample_hours), pd.Series(ref_hours)])]
    dims += [encode_dimension(d, [sample_df[d], ref_df[d]]) for d in user_dims]
    cells = joint_cells(dims, [sample_counts, ref_weights])
    s_cells, r_cells = cells.counts

    # ---- per-dimension mix ------------------------------------------------------------------
    marg_s = [np.bincount(cells.cell_levels[i], weights=s_cells, minlength=len(d.levels)) for i, d in enumerate(dims)]
    marg_r = [np.bincount(cells.cell_levels[i], weights=r_cells, minlength=len(d.levels)) for i, d in enumerate(dims)]
    methods = {}
    effects, coverages, cov_p = [], [], []
    for i, d in enumerate(dims):
        ci = bootstrap_distances(marg_s[i], marg_r[i], alpha=p["alpha"], n_boot=p["n_boot"], seed=p["seed"] + i)
        chi_p, methods[d.name] = mix_test(marg_s[i], marg_r[i], n_sim=p["n_boot"], seed=p["seed"] + i)
        effects.append((ci, chi_p))
        cov = coverage(marg_s[i], marg_r[i], p["min_count_per_stratum"])
        coverages.append(cov)
        cov_p.append(
            coverage_shortfall_p(cov, n, marg_r[i], p["min_count_per_stratum"], n_sim=p["n_boot"], seed=p["seed"] + i)
            if cov < p["min_coverage"]
            else None
        )
    # One Holm family for every test of the check (the mix test and, where coverage falls short,
    # the coverage test of each dimension), so the false-FAIL rate stays at alpha overall.
    chi_ps = [chi_p for _, chi_p in effects]
    family = holm_adjust(chi_ps + cov_p)
    chi_adj, cov_p_adj = family[: len(dims)], family[len(dims) :]
    judged = judge_family(
        [Effect(d.name, ci.tvd, ci.tvd_low, ci.tvd_high, p_adj) for d, (ci, _), p_adj in zip(dims, effects, chi_adj)],
        alpha=p["alpha"],
        warn_at=p["warn_at"],
        fail_at=p["fail_at"],
        correction="none",
    )
    cov_verdicts = [
        Verdict.PASS if padj is None else (Verdict.FAIL if padj < p["alpha"] else Verdict.INCONCLUSIVE)
        for padj in cov_p_adj
    ]

    # ---- weights ----------------------------------------------------------------------------
    q_cells = shares(r_cells)
    thin_joint = (q_cells > 0) & (s_cells < p["min_count_per_stratum"])
    if len(dims) == 1 or not thin_joint.any():
        weighting = "post_stratification"
        covered = s_cells > 0
        target = np.where(covered, q_cells, 0.0)
        w_cells = post_stratification_weights(s_cells, target / target.sum() if target.sum() > 0 else target)
        raking_info = {}
    else:
        weighting = "raking"
        targets = []
        for i in range(len(dims)):
            t = np.where(marg_s[i] > 0, shares(marg_r[i]), 0.0)
            targets.append(t / t.sum() if t.sum() > 0 else t)
        w_cells, iters, converged = raking_weights(s_cells, cells.cell_levels, targets)
        raking_info = {"raking_iterations": iters, "raking_converged": converged}
    ess = kish_ess(w_cells, s_cells)
    row_weights = w_cells[cells.row_cells[0]]

    # ---- metrics ----------------------------------------------------------------------------
    metrics: dict[str, Metric] = {}
    for d, (ci, chi_p), j, cov in zip(dims, effects, judged, coverages):
        metrics[f"tvd[{d.name}]"] = Metric(ci.tvd, ci.tvd_low, ci.tvd_high, n=n)
        metrics[f"tvd_plugin[{d.name}]"] = Metric(ci.tvd_plugin, n=n)
        metrics[f"psi[{d.name}]"] = Metric(ci.psi, ci.psi_low, ci.psi_high, n=n)
        metrics[f"chi2_p[{d.name}]"] = Metric(chi_p, n=n)
        metrics[f"chi2_p_holm[{d.name}]"] = Metric(j.p_adjusted, n=n)
        metrics[f"coverage[{d.name}]"] = Metric(cov, n=n)
    metrics["coverage"] = Metric(min(coverages), n=n)
    metrics["hours_covered"] = Metric(int(np.sum(marg_s[0] > 0)))
    metrics["hours_in_reference"] = Metric(int(np.sum(marg_r[0] > 0)))
    metrics["kish_ess"] = Metric(ess, n=n)
    metrics["kish_ess_ratio"] = Metric(ess / n, n=n)
    metrics["sample_rows"] = Metric(n)
    metrics["reference_total"] = Metric(float(np.sum(r_cells)))

    # ---- findings ---------------------------------------------------------------------------
    findings: list[Finding] = []
    reasons: list[str] = []
    tz = p["timezone"]
    for i, (d, j) in enumerate(zip(dims, judged)):
        ps, qs = shares(marg_s[i]), shares(marg_r[i])
        over, under = describe_gaps(d, ps, qs, tz)
        detail = "; ".join(over + under)
        ci = j.effect
        if j.verdict in (Verdict.FAIL, Verdict.WARN):
            msg = (
                f"{d.name}: the sample's mix differs from production by TVD {ci.value:.2f} "
                f"(CI {ci.ci_low:.2f}-{ci.ci_high:.2f}, chi-square p {j.p_adjusted:.2g} after Holm): {detail}"
            )
            findings.append(Finding(j.verdict.value.lower(), "MIX_SHIFT", msg, None))
            reasons.append(f"{d.name} TVD {ci.value:.2f} ({over[0] if over else detail})")
        elif over and j.p_adjusted is not None and j.p_adjusted < p["alpha"]:
            findings.append(
                Finding("info", "MIX_DIFFERENCE_WITHIN_TOLERANCE",
                        f"{d.name}: TVD {ci.value:.2f} is below warn_at {p['warn_at']} though detectable: {detail}")
            )
    for i, (d, cov, verdict) in enumerate(zip(dims, coverages, cov_verdicts)):
        if cov >= p["min_coverage"]:
            continue
        thin = [k for k in np.argsort(-shares(marg_r[i])) if marg_s[i][k] < p["min_count_per_stratum"] and marg_r[i][k] > 0]
        names = ", ".join(
            f"{d.name}={d.levels[k]} ({_pct(float(shares(marg_r[i])[k]))} of traffic, {int(marg_s[i][k])} rows)"
            for k in thin[:5]
        )
        msg = (
            f"{d.name}: only {_pct(cov)} of traffic falls in strata with at least "
            f"{p['min_count_per_stratum']} sample rows (min_coverage {_pct(p['min_coverage'])}); thin: {names}"
        )
        if verdict is Verdict.FAIL:
            findings.append(Finding("fail", "LOW_COVERAGE", msg))
            reasons.append(f"{d.name} coverage {_pct(cov)}")
        else:
            findings.append(Finding("warn", "LOW_COVERAGE_SMALL_SAMPLE", msg + "; a representative sample this small would fall short too"))

    dim_verdicts = [j.verdict for j in judged]
    verdict = worst(dim_verdicts + cov_verdicts)
    n_required = None
    if verdict is Verdict.INCONCLUSIVE:
        needs = [
            n_to_bound_tvd(marg_r[i], p["fail_at"], p["alpha"], seed=p["seed"])
            for i, j in enumerate(judged) if j.verdict is Verdict.INCONCLUSIVE
        ] + [
            n_to_cover(marg_r[i], p["min_count_per_stratum"], p["min_coverage"])
            for i, v in enumerate(cov_verdicts) if v is Verdict.INCONCLUSIVE
        ]
        known = [x for x in needs if x is not None]
        n_required = max(known) if known else None
        metrics["n_required"] = Metric(n_required)
        undecided = [d.name for d, j in zip(dims, judged) if j.verdict is Verdict.INCONCLUSIVE]
        undecided += [d.name for d, v in zip(dims, cov_verdicts) if v is Verdict.INCONCLUSIVE and d.name not in undecided]
        findings.append(
            Finding("warn", "INSUFFICIENT_SAMPLE",
                    f"{n} sample rows cannot tell a representative sample from one off by TVD {p['fail_at']} on "
                    f"{', '.join(undecided)}; about {n_required if n_required else 'far more'} rows would settle it")
        )
    if weighting == "raking":
        findings.append(
            Finding("info", "RAKING_WEIGHTS",
                    f"{int(thin_joint.sum())} joint strata with traffic have fewer than {p['min_count_per_stratum']} "
                    "sample rows, so weights are raked to each dimension's mix instead of post-stratified")
        )
    sample_only = (s_cells > 0) & (q_cells == 0)
    if sample_only.any():
        findings.append(
            Finding("warn" if s_cells[sample_only].sum() / n > 0.01 else "info", "SAMPLE_ONLY_STRATA",
                    f"{int(s_cells[sample_only].sum())} sample rows fall in strata production never shows; they get weight 0")
        )

    summary = _summary(verdict, reasons, n, n_required, judged, min(coverages), ess, p["min_coverage"])
    evidence = _evidence(dims, cells, marg_s, marg_r, w_cells)
    if sample_counts is not None:  # one weight per stratum row of the aggregated sample
        weights = sample_df.drop(columns=[COUNT]).assign(count=sample_counts, weight=row_weights)
    else:
        weights = pd.DataFrame(
            {"id" if p["id_column"] else "row": sample_df[p["id_column"]].to_numpy() if p["id_column"] else np.arange(n),
             "weight": row_weights}
        )
    return CheckResult(
        check="sampling_window",
        verdict=verdict,
        summary=summary,
        metrics=metrics,
        findings=findings,
        params={
            "dimensions_used": [d.name for d in dims],
            "weighting": weighting,
            "chi2_method": methods,
            "bootstrap": "multinomial (sample and reference counts)",
            "ci_level": 1 - p["alpha"],
            "multiplicity": "holm across the mix tests and coverage tests of all dimensions",
            "psi_epsilon": 1e-4,
            "naive_timestamps": f"read as local time in {tz}",
            "sample_form": "counts" if sample_counts is not None else "rows",
            **raking_info,
        },
        evidence=evidence,
        tables={"weights": weights},
    )


def _summary(verdict, reasons, n, n_required, judged, cov, ess, min_coverage) -> str:
    if verdict is Verdict.FAIL:
        if cov < min_coverage:
            # Weights cannot create rows for strata the sample never saw.
            fix = f"re-sample: {_pct(1 - cov)} of traffic has too few sample rows for re-weighting to fix"
        else:
            fix = f"re-sample, or re-weight with weights.parquet (Kish effective n {ess:,.0f} of {n:,})"
        return f"The eval sample does not represent production traffic ({'; '.join(reasons)}): do not promote on it; {fix}."
    if verdict is Verdict.WARN:
        return f"The eval sample's mix departs moderately from production ({'; '.join(reasons)}); re-weight with weights.parquet (Kish effective n {ess:,.0f} of {n:,})."
    if verdict is Verdict.INCONCLUSIVE:
        need = f"about {n_required:,} rows" if n_required else "far more rows"
        return f"{n:,} sample rows are too few to tell whether the eval represents production traffic; {need} would settle it."
    largest = max(judged, key=lambda j: j.effect.value)
    return (
        f"The eval sample matches the production mix on {', '.join(j.effect.name for j in judged)} "
        f"(largest TVD {largest.effect.value:.2f} on {largest.effect.name}, coverage {_pct(cov)})."
    )


def _evidence(dims, cells, marg_s, marg_r, w_cells) -> pd.DataFrame:
    """Per stratum (each dimension's levels, then joint cells): shares, ratio and mean weight."""
    s_cells, r_cells = cells.counts
    frames = []
    for i, d in enumerate(dims):
        wsum = np.bincount(cells.cell_levels[i], weights=s_cells * w_cells, minlength=len(d.levels))
        frames.append(_evidence_rows(d.name, [f"{d.name}={lv}" for lv in d.levels], marg_s[i], marg_r[i], wsum))
    if len(dims) > 1:
        labels = [",".join(f"{d.name}={d.levels[lv[j]]}" for d, lv in zip(dims, cells.cell_levels)) for j in range(len(s_cells))]
        frames.append(_evidence_rows("joint", labels, s_cells, r_cells, s_cells * w_cells))
    return pd.concat(frames, ignore_index=True)


def _evidence_rows(dimension, labels, s, r, weighted) -> pd.DataFrame:
    ps, qs = shares(s), shares(r)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(qs > 0, ps / qs, np.inf)
        mean_w = np.where(s > 0, weighted / np.where(s > 0, s, 1), np.nan)
    return pd.DataFrame(
        {
            "dimension": dimension,
            "stratum": labels,
            "sample_count": s.astype(np.int64),
            "sample_share": ps,
            "reference_count": r,
            "reference_share": qs,
            "ratio": ratio,
            "weight": mean_w,
        }
    )


SPEC = CheckSpec(
    name="sampling_window",
    summary="Is the eval set a fair sample of production traffic by hour of day and other strata?",
    inputs={
        "sample": InputSpec("the eval set: one row per example, a timestamp column, the stratum columns"),
        "reference": InputSpec(
            "production traffic over a representative period: rows with the same columns, or pre-aggregated "
            "rows with the stratum columns, 'hour_of_day' in place of the timestamp, and a 'count' column"
        ),
    },
    params={
        "timestamp_column": ParamSpec("ts", str, "timestamp column (both inputs; numbers are Unix seconds)"),
        "timezone": ParamSpec("UTC", str, "IANA zone for hour of day; naive timestamps are local time there"),
        "dimensions": ParamSpec([], list, "stratum columns besides hour_of_day (always included)"),
        "min_count_per_stratum": ParamSpec(5, int, "sample rows a stratum needs to count as covered", minimum=1),
        "min_coverage": ParamSpec(0.95, float, "least reference share in covered strata", minimum=0, maximum=1),
        "warn_at": ParamSpec(0.1, float, "TVD that warns", minimum=0, maximum=1),
        "fail_at": ParamSpec(0.2, float, "TVD that fails", minimum=0, maximum=1),
        "alpha": ParamSpec(0.05, float, "significance level; CIs are at 1 - alpha", minimum=1e-6, maximum=0.5),
        "seed": ParamSpec(0, int, "seed for the bootstrap and Monte Carlo tests", minimum=0, maximum=MAX_SEED),
        "n_boot": ParamSpec(2000, int, "bootstrap resamples and Monte Carlo simulations", minimum=200, maximum=MAX_RESAMPLES),
        "id_column": ParamSpec(None, str, "sample column that identifies rows in weights.parquet", nullable=True),
    },
    decide=run,
)
