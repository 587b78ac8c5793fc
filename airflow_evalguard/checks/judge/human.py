"""Human agreement: how far the judge's verdicts match human labels, and whether its pairwise
verdicts survive swapping the two answers' order (position bias).

Raw agreement, Cohen's kappa (quadratic weights for ordinal scores) and per-class agreement are
reported together: on skewed classes a judge can be 80% accurate at a kappa near 0.1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from airflow_evalguard.checks.judge.part import GatedEffect, PartResult
from airflow_evalguard.checks.common.shift import alpha_shortfall_p
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict

ALPHA_LEVEL = {"ordinal": "ordinal", "interval": "interval", "pairwise": "nominal"}
KAPPA_WEIGHTS = {"ordinal": "quadratic", "pairwise": "none"}
# Flag agreement that prevalence, not skill, explains: high raw agreement, kappa no better than
# "fair" (Landis & Koch: <= 0.40), and one class holding most human labels.
PARADOX_AGREEMENT, PARADOX_KAPPA, PARADOX_PREVALENCE = 0.7, 0.4, 0.7


def human_consensus(human: pd.DataFrame, score_type: str) -> tuple[pd.DataFrame, int]:
    """One human label per item: the majority winner (a split is 'tie'), the low median score, or
    the mean for interval scores. Returns the labels and how many items had several."""
    counts = human.groupby("item_id", sort=False)["human"].size()
    several = int((counts > 1).sum())
    if not several:
        return human, 0
    if score_type == "pairwise":
        def majority(s: pd.Series) -> str:
            top = s.value_counts()
            return top.index[0] if len(top) == 1 or top.iloc[0] > top.iloc[1] else "tie"
        out = human.groupby("item_id", sort=False)["human"].agg(majority)
    elif score_type == "ordinal":
        out = human.groupby("item_id", sort=False)["human"].agg(lambda s: float(np.sort(s.to_numpy())[(len(s) - 1) // 2]))
    else:
        out = human.groupby("item_id", sort=False)["human"].mean()
    return out.rename("human").reset_index(), several


def _categories(judge: pd.Series, human: pd.Series, score_type: str) -> list:
    if score_type == "pairwise":
        return ["1", "2", "tie"]
    return sorted(set(judge.tolist()) | set(human.tolist()))


def agreement_metrics(joined: pd.DataFrame, score_type: str, p: dict) -> tuple[dict[str, Metric], dict]:
    """Metrics for one group of judge-vs-human pairs (columns judge, human, swapped?)."""
    from airflow_evalguard.stats.kappa import cohen_kappa
    from airflow_evalguard.stats.krippendorff import alpha_from_long

    metrics: dict[str, Metric] = {}
    info: dict = {}
    n = len(joined)
    if n == 0:
        return metrics, info
    items = np.arange(n)
    labels = np.concatenate([joined["judge"].to_numpy(object), joined["human"].to_numpy(object)])
    if score_type != "pairwise":
        labels = labels.astype(float)
    est = alpha_from_long(np.concatenate([items, items]), labels, ALPHA_LEVEL[score_type], n_boot=p["n_boot"],
                          alpha=p["alpha"], seed=p["seed"])
    metrics["judge_human_alpha"] = Metric(est.value, est.ci_low, est.ci_high, n=n)
    info["alpha"] = est
    if score_type in KAPPA_WEIGHTS:
        cats = _categories(joined["judge"], joined["human"], score_type)
        index = {c: i for i, c in enumerate(cats)}
        k = cohen_kappa(joined["judge"].map(index).to_numpy(), joined["human"].map(index).to_numpy(), len(cats),
                        weights=KAPPA_WEIGHTS[score_type], n_boot=p["n_boot"], alpha=p["alpha"], seed=p["seed"])
        metrics["judge_human_kappa"] = Metric(k.kappa, k.ci_low, k.ci_high, n=n)
        metrics["judge_human_agreement"] = Metric(k.agreement, n=n)
        human_totals = k.table.sum(axis=0)
        for c, i in index.items():
            if human_totals[i] > 0:
                metrics[f"class_agreement[{_label(c)}]"] = Metric(k.table[i, i] / human_totals[i], n=int(human_totals[i]))
        info["kappa"] = k
    else:
        metrics["judge_human_mean_difference"] = Metric(float(np.mean(joined["judge"] - joined["human"])), n=n)
    return metrics, info


def _label(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def position_consistency(joined: pd.DataFrame, alpha: float) -> Metric | None:
    from airflow_evalguard.stats.paired import wilson_interval

    if "swapped" not in joined.columns:
        return None
    both = joined["judge"].notna() & joined["swapped"].notna()
    n = int(both.sum())
    if n == 0:
        return None
    same = int((joined.loc[both, "judge"] == joined.loc[both, "swapped"]).sum())
    lo, hi = wilson_interval(np.array([same]), np.array([n]), alpha)
    return Metric(same / n, float(lo[0]), float(hi[0]), n=n)


def human_part(judged: pd.DataFrame, human: pd.DataFrame, *, score_type: str, p: dict) -> PartResult:
    """`judged`: item_id, judge_model, judge (NaN/None = parse failure), swapped (optional);
    `human`: item_id, human."""
    part = PartResult()
    human, several = human_consensus(human, score_type)
    if several:
        how = {"pairwise": "majority (a split is a tie)", "ordinal": "low median", "interval": "mean"}[score_type]
        part.findings.append(Finding("info", "HUMAN_CONSENSUS",
                                     f"{several} item(s) have several human labels; compared against their {how}"))
    joined_all = judged.merge(human, on="item_id", how="inner")
    no_human = judged["item_id"].nunique() - joined_all["item_id"].nunique()
    if no_human:
        part.findings.append(Finding("info", "ITEMS_WITHOUT_HUMAN_LABEL",
                                     f"{no_human} judged item(s) have no human label and are left out of agreement"))
    models = sorted(joined_all["judge_model"].astype(str).unique())
    groups = [(None, joined_all)] + ([(m, joined_all[joined_all["judge_model"].astype(str) == m]) for m in models]
                                     if len(models) > 1 else [])
    for model, group in groups:
        parsed = group[group["judge"].notna()]
        metrics, info = agreement_metrics(parsed, score_type, p)
        pc = position_consistency(group, p["alpha"])
        if pc is not None:
            metrics["position_consistency"] = pc
        label = f"judge_model={model}" if model is not None else None
        gated = _gates(metrics, info, pc, model, p)
        findings = _paradox(metrics, model)
        if model is None:
            part.metrics.update(metrics)
            part.gated.extend(gated)
            part.findings.extend(findings)
        else:
            part.slices.append(SliceResult(label, Verdict.PASS, {k.replace("judge_human_", ""): v
                                                                  for k, v in metrics.items()}))
            part.gated.extend(gated)
            part.findings.extend(findings)
    return part


def _paradox(metrics: dict[str, Metric], model: str | None) -> list[Finding]:
    agree, kappa = metrics.get("judge_human_agreement"), metrics.get("judge_human_kappa")
    if agree is None or kappa is None or agree.value is None or kappa.value is None:
        return []
    shares = {k[len("class_agreement["):-1]: m.n for k, m in metrics.items() if k.startswith("class_agreement[")}
    total = sum(shares.values())
    top_class, top_n = max(shares.items(), key=lambda kv: kv[1]) if shares else (None, 0)
    if agree.value >= PARADOX_AGREEMENT and kappa.value < PARADOX_KAPPA and total and top_n / total >= PARADOX_PREVALENCE:
        who = f"judge {model!r}" if model else "the judge"
        classes = ", ".join(f"{k[len('class_agreement['):-1]} {m.value:.0%}" for k, m in metrics.items()
                            if k.startswith("class_agreement["))
        return [Finding("warn", "AGREEMENT_PARADOX",
                        f"{who} agrees with humans on {agree.value:.0%} of items but kappa is {kappa.value:.2f}: class "
                        f"{top_class} holds {top_n / total:.0%} of human labels and the agreement is mostly chance "
                        f"(agreement per class: {classes})",
                        f"judge_model={model}" if model else None)]
    return []


def _gates(metrics, info, pc, model, p) -> list[GatedEffect]:
    gated = []
    where = f" for judge {model!r}" if model else ""
    sl = f"judge_model={model}" if model else None
    est = info.get("alpha")
    if p["min_human_alpha"] is not None and est is not None:
        bar = p["min_human_alpha"]
        gated.append(GatedEffect(
            "judge_human_alpha" + (f"[{model}]" if model else ""), bar - est.value, bar - est.ci_low,
            alpha_shortfall_p(est.replicates, bar), 0.0, 0.0, "LOW_HUMAN_AGREEMENT",
            lambda v, e=est: f"judge-human alpha{where} is {e.value:.3f} (CI {e.ci_low:.3f} to {e.ci_high:.3f}), "
                             f"below the minimum {bar}", sl))
    if p["min_position_consistency"] is not None and pc is not None:
        bar = p["min_position_consistency"]
        from scipy.special import bdtr  # one-sided binomial test of "consistency >= bar"

        same = round(pc.value * pc.n)
        p_value = float(bdtr(same, pc.n, bar))
        gated.append(GatedEffect(
            "position_consistency" + (f"[{model}]" if model else ""), bar - pc.value, bar - pc.ci_low, p_value,
            0.0, 0.0, "POSITION_BIAS",
            lambda v, m=pc: f"the verdict{where} survives swapping the answers' order on only {m.value:.0%} of "
                            f"{m.n:,} items (CI {m.ci_low:.0%} to {m.ci_high:.0%}; minimum {bar:.0%})", sl))
    return gated
