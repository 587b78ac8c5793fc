"""labeler_agreement (problem 7): agreement climbs and the eval stops measuring.

Rising inter-labeler agreement reads as a better eval, but labelers who converge on one safe
mark agree perfectly and measure nothing. Per batch (in time order) this reports Krippendorff's
alpha beside three readings agreement cannot fake (label entropy, discrimination between items,
accuracy on gold items) and gates on the signature of homogenization: alpha rising while
discrimination falls and gold accuracy does not rise.

The gate is an intersection of one-sided conditions (alpha up AND discrimination down AND gold
not up), each judged by its own bootstrap interval; an intersection-union test needs no
multiplicity correction to stay at level alpha.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.ratings import LEVELS, encode, read_required, reject_duplicates, require_present
from airflow_evalguard.core.param_limits import MAX_RESAMPLES, MAX_SEED
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import CheckResult, Finding, Metric, SliceResult
from airflow_evalguard.stats.trend import Trend
from airflow_evalguard.verdicts import Verdict, gate_rule, validate_bands

ITEM, LABELER, LABEL, BATCH = "item_id", "labeler_id", "label", "batch"
READINGS = ("alpha", "entropy", "unanimous_share", "discrimination", "gold_accuracy")


def _read(tables: dict[str, TableInput], p: dict) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Rows (one per label), or `label_counts` (batch, item, label, count: how many labelers gave
    the item that label; the GROUP BY a warehouse returns), both as rows with a `count` column."""
    from airflow_evalguard.checks.common.aggregates import one_form, whole_counts

    if one_form(set(tables) - {"gold"}, ("labels",), "label_counts"):
        labels = read_required(tables["label_counts"], [ITEM, LABEL, BATCH, "count"])
        for col, what in ((ITEM, "item id"), (BATCH, "batch")):
            require_present(labels, col, "label_counts", what)
        labels = labels[labels[LABEL].notna()].assign(count=lambda d: whole_counts(d["count"], "label_counts"))
        if len(labels) == 0 or labels["count"].sum() == 0:
            raise EvalGuardInputError("input 'label_counts': no labels", input_name="label_counts", column=LABEL)
        reject_duplicates(labels, [BATCH, ITEM, LABEL], "label_counts")
    else:
        labels = read_required(tables["labels"], [ITEM, LABELER, LABEL, BATCH])
        for col, what in ((ITEM, "item id"), (LABELER, "labeler id"), (BATCH, "batch")):
            require_present(labels, col, "labels", what)
        labels = labels[labels[LABEL].notna()]
        if len(labels) == 0:
            raise EvalGuardInputError("input 'labels': every label is missing", input_name="labels", column=LABEL)
        reject_duplicates(labels, [BATCH, ITEM, LABELER], "labels")
        if labels[LABELER].nunique() < 2:
            raise EvalGuardInputError(
                f"input 'labels': only one labeler ({labels[LABELER].iloc[0]!r}); agreement needs at least two",
                input_name="labels", column=LABELER)
    gold = None
    if "gold" in tables:
        gold = read_required(tables["gold"], [ITEM, LABEL])
        require_present(gold, ITEM, "gold", "item id")
        gold = gold[gold[LABEL].notna()]
        if gold[ITEM].duplicated().any():
            ids = gold.loc[gold[ITEM].duplicated(), ITEM].head(5).tolist()
            raise EvalGuardInputError(f"input 'gold': duplicate {ITEM}(s) {ids}", input_name="gold", column=ITEM)
    return labels, gold


def _batch_order(batches: pd.Series, explicit: list | None) -> list:
    present = list(pd.unique(batches))
    if explicit is not None:
        missing = [b for b in present if b not in explicit and str(b) not in map(str, explicit)]
        if missing:
            raise EvalGuardInputError(f"param 'batch_order' lacks batch(es) {missing[:10]} found in input 'labels'")
        rank = {str(b): i for i, b in enumerate(explicit)}
        return sorted(present, key=lambda b: rank[str(b)])
    try:
        return sorted(present)
    except TypeError:
        return sorted(present, key=str)


def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    from airflow_evalguard.stats.item_bootstrap import percentile_interval, profiles, resampled_sums
    from airflow_evalguard.stats.krippendorff import count_matrix, disagreements_from_sums, item_statistics
    from airflow_evalguard.stats.label_spread import (
        discrimination, max_disagreement, spread_from_sums, spread_statistics)
    from airflow_evalguard.stats.trend import trend

    validate_bands(p["warn_at"], p["fail_at"])
    labels, gold = _read(tables, p)
    level = p["level"]
    all_labels = labels[LABEL] if gold is None else pd.concat([labels[LABEL], gold[LABEL]], ignore_index=True)
    values, codes = encode(all_labels, level, p["order"], input_name="labels", column=LABEL)
    label_codes = codes[: len(labels)]
    gold_lookup = {} if gold is None else dict(zip(gold[ITEM].astype(str), codes[len(labels):]))
    order = _batch_order(labels[BATCH], p["batch_order"])
    if len(order) < 2:
        raise EvalGuardInputError(
            f"input 'labels': column '{BATCH}' has a single value ({order[0]!r}); a trend needs at least two batches",
            input_name="labels", column=BATCH)
    numeric = level != "nominal"
    # Discrimination reads the scale with the interval metric when labels are numbers (the
    # ordinal metric's distances move with the marginals, which is exactly what changes here).
    spread_level = "interval" if numeric else "nominal"
    d_max = max_disagreement(values, numeric)

    per_batch: dict[str, np.ndarray] = {r: np.full(len(order), np.nan) for r in READINGS}
    reps: dict[str, np.ndarray] = {r: np.full((p["n_boot"], len(order)), np.nan) for r in READINGS}
    ci: dict[str, list[tuple[float, float]]] = {r: [] for r in READINGS}
    sizes, unpairable_total = [], 0
    batch_key = labels[BATCH].to_numpy()
    weights = labels["count"].to_numpy(dtype=float) if "count" in labels.columns else None
    for k, batch in enumerate(order):
        rows = np.flatnonzero(batch_key == batch)
        item_codes, item_ids = pd.factorize(labels[ITEM].iloc[rows].astype(str))
        counts = count_matrix(item_codes, label_codes[rows], len(item_ids), len(values),
                              None if weights is None else weights[rows])
        a_stats = item_statistics(counts, values, level)
        if a_stats.pairable_items == 0:
            raise EvalGuardInputError(
                f"input 'labels': batch {batch!r} has no item with two or more labels; alpha needs pairable values "
                "(at least two labels on the same item)", input_name="labels", column=ITEM)
        unpairable_total += a_stats.unpairable_items
        gold_codes = None
        if gold is not None:
            gold_codes = np.array([gold_lookup.get(i, -1) for i in item_ids], dtype=np.int64)
        d_stats = a_stats if spread_level == level else item_statistics(counts, values, spread_level)
        blocks = [a_stats.per_item, d_stats.per_item, spread_statistics(counts, gold_codes)]
        edges = np.cumsum([0] + [b.shape[1] for b in blocks])
        stats = np.hstack(blocks)

        def readings(sums: np.ndarray) -> dict[str, np.ndarray]:
            a_sums, d_sums, s_sums = (sums[:, edges[i]:edges[i + 1]] for i in range(3))
            out = spread_from_sums(s_sums)
            d_o, d_e = disagreements_from_sums(a_sums, a_stats)
            with np.errstate(divide="ignore", invalid="ignore"):
                out["alpha"] = 1 - d_o / d_e
            out["discrimination"] = discrimination(*disagreements_from_sums(d_sums, d_stats), d_max)
            return out

        point = readings(stats.sum(axis=0)[None, :])
        unique, cnt = profiles(stats[stats[:, edges[2]] > 0])  # pairable items only
        boot = readings(resampled_sums(unique, cnt, p["n_boot"], seed=(p["seed"], k)))
        for r in READINGS:
            per_batch[r][k] = point[r][0]
            reps[r][:, k] = boot[r]
            ci[r].append(percentile_interval(boot[r], p["alpha"]))
        n_labelers = int(labels[LABELER].iloc[rows].nunique()) if LABELER in labels.columns else None
        sizes.append((a_stats.pairable_items, n_labelers, int(counts.sum())))

    has_gold = gold is not None and np.isfinite(per_batch["gold_accuracy"]).any()
    trends = {r: trend(per_batch[r], reps[r], p["alpha"]) for r in READINGS if r != "gold_accuracy" or has_gold}
    return _result(order, per_batch, ci, sizes, trends, unpairable_total, p)


def _result(order, per_batch, ci, sizes, trends: dict[str, Trend], unpairable: int, p) -> CheckResult:
    a, d, g, e = trends["alpha"], trends["discrimination"], trends.get("gold_accuracy"), trends["entropy"]
    gold_not_up = g is None or not g.rising
    significant = a.rising and d.falling and gold_not_up
    if significant:
        verdict = gate_rule(a.change, a.ci_high, True, p["warn_at"], p["fail_at"])
    elif np.isfinite(a.ci_high) and a.ci_high >= p["fail_at"] and not (np.isfinite(d.ci_low) and d.ci_low >= 0) \
            and gold_not_up:
        verdict = Verdict.INCONCLUSIVE  # cannot rule out a homogenizing rise of fail_at
    else:
        verdict = Verdict.PASS

    metrics: dict[str, Metric] = {}
    for r, t in trends.items():
        metrics[f"trend.{r}"] = Metric(t.change, t.ci_low, t.ci_high, n=t.batches)
        metrics[f"{r}.first"] = Metric(t.first)
        metrics[f"{r}.last"] = Metric(t.last)
    slices = []
    for k, batch in enumerate(order):
        items, labelers, n_labels = sizes[k]
        m = {r: Metric(per_batch[r][k], *ci[r][k], n=items) for r in READINGS
             if r != "gold_accuracy" or np.isfinite(per_batch[r][k])}
        if labelers is not None:  # not known from label counts
            m["labelers"] = Metric(labelers)
        m["labels"] = Metric(n_labels)
        slices.append(SliceResult(f"{BATCH}={batch}", Verdict.PASS, m))

    moved = _moves(trends)
    findings = []
    if significant and verdict is not Verdict.PASS:
        findings.append(Finding(verdict.value.lower(), "HOMOGENIZATION",
                                f"labelers homogenized over {a.batches} batches: {moved}"))
    elif a.rising and g is not None and g.rising:
        findings.append(Finding("info", "AGREEMENT_WITH_ACCURACY",
                                f"agreement rose with gold accuracy, as when labelers improve: {moved}"))
    elif verdict is Verdict.INCONCLUSIVE:
        findings.append(Finding("warn", "INSUFFICIENT_ITEMS",
                                f"the batches cannot rule out a homogenizing rise in alpha of {p['fail_at']}: {moved}; "
                                "more items per batch would settle it"))
    if unpairable:
        findings.append(Finding("info", "UNPAIRABLE_ITEMS",
                                f"{unpairable} item(s) have a single label: they carry no agreement information and "
                                "are left out of alpha, entropy, unanimity and discrimination"))
    if g is None:
        findings.append(Finding("info", "NO_GOLD", "no gold labels: rising agreement cannot be told from rising "
                                                  "accuracy; gold items make the homogenization test sharper"))
    summary = _summary(verdict, significant, a, e, d, g, moved)
    evidence = pd.DataFrame({BATCH: [str(b) for b in order],
                             **{r: per_batch[r] for r in READINGS},
                             "items": [s[0] for s in sizes],
                             **({"labelers": [s[1] for s in sizes]} if sizes[0][1] is not None else {})})
    return CheckResult(
        check="labeler_agreement", verdict=verdict, summary=summary, metrics=metrics, slices=slices,
        findings=findings, evidence=evidence,
        params={"batch_order_used": [str(b) for b in order],
                "ci_method": "percentile bootstrap over items (per-item sufficient statistics), per batch",
                "trend_method": "least-squares fitted change first->last batch; CI from per-batch bootstrap replicates",
                "decision": "intersection-union: alpha trend CI > 0 and discrimination trend CI < 0 and gold trend "
                            "not > 0; then the gate rule on the alpha rise"},
    )


def _moves(trends: dict[str, Trend]) -> str:
    parts = []
    for r in ("alpha", "entropy", "discrimination", "gold_accuracy", "unanimous_share"):
        t = trends.get(r)
        if t is None:
            continue
        state = "rose" if t.rising else "fell" if t.falling else "did not move significantly"
        parts.append(f"{r} {state} ({t.first:.2f} -> {t.last:.2f}, fitted {t.change:+.2f}, CI {t.ci_low:+.2f} to "
                     f"{t.ci_high:+.2f})")
    return "; ".join(parts)


def _summary(verdict, significant, a, e, d, g, moved) -> str:
    if significant and verdict is not Verdict.PASS:
        gold = "no gold labels to check accuracy" if g is None else f"gold accuracy did not rise ({g.first:.2f} -> {g.last:.2f})"
        return (f"Labelers homogenized: alpha rose {a.first:.2f} -> {a.last:.2f} over {a.batches} batches while "
                f"discrimination fell {d.first:.2f} -> {d.last:.2f} and entropy {e.first:.2f} -> {e.last:.2f} bits; "
                f"{gold}. The labels are measuring less; do not trust the eval.")
    if verdict is Verdict.INCONCLUSIVE:
        return f"The batches are too small to rule out labeler homogenization: {moved}."
    return f"No labeler homogenization across {a.batches} batches: {moved}."


SPEC = CheckSpec(
    name="labeler_agreement",
    summary="Is rising labeler agreement real, or have labelers homogenized and stopped measuring?",
    inputs={
        "labels": InputSpec("one row per label: item_id, labeler_id, label, batch (time order)", required=False),
        "label_counts": InputSpec("instead of labels: batch, item_id, label and count (labelers who gave it)",
                                  required=False),
        "gold": InputSpec("gold labels: item_id, label", required=False),
    },
    params={
        "level": ParamSpec("nominal", str, "measurement level of the labels", choices=LEVELS),
        "order": ParamSpec(None, list, "scale order of word labels (ordinal/interval)", nullable=True),
        "batch_order": ParamSpec(None, list, "explicit batch order (default: sorted batch values)", nullable=True),
        "warn_at": ParamSpec(0.05, float, "homogenizing alpha rise (first->last batch) that warns", minimum=0),
        "fail_at": ParamSpec(0.10, float, "homogenizing alpha rise that fails", minimum=0),
        "alpha": ParamSpec(0.05, float, "significance level; CIs are at 1 - alpha", minimum=1e-6, maximum=0.5),
        "n_boot": ParamSpec(1000, int, "bootstrap resamples over items per batch", minimum=100, maximum=MAX_RESAMPLES),
        "seed": ParamSpec(0, int, "seed for the bootstrap", minimum=0, maximum=MAX_SEED),
    },
    decide=run,
)
