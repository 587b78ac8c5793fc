"""latency_tail (problems 9 and 12): cold starts hide in p99; training steals the morning tail.

Per endpoint and latency class: p50/p95/p99 with exact order-statistic intervals (no bootstrap:
it under-covers in the tail), and four decisions that each compare a p99 with something:
- SLO_BREACH: p99 against the class's SLO;
- COLD_START_TAX: p99 against p99 without cold starts (a scaled-to-zero fine-tune pays the model
  load in its tail, which a mean never shows);
- TRAINING_CONTENTION: p99 while training shares the GPU pool against p99 in the same hours of
  day without training (inside the protected windows when given);
- FINE_TUNE_TAIL_REGRESSION: each endpoint's p99 against the baseline endpoint's.
Intervals for ratios combine two order-statistic intervals at alpha/2 each (conservative, valid
whether or not the samples overlap); each family of decisions is Bonferroni-corrected across its
slices. A p99 a decision needs from fewer requests than its interval can bound makes the result
INCONCLUSIVE, naming the n it needs (368 at 95% for one p99).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.latency.requests import Requests, read_requests
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import CheckResult, Finding, Metric, SliceResult
from airflow_evalguard.stats.order_stat import QuantileEstimate, n_required, quantiles, ratio_interval
from airflow_evalguard.verdicts import Verdict, gate_rule, validate_bands, worst

TAIL = 0.99
EVIDENCE_PER_SLICE = 50


def _name(q: float) -> str:
    """0.99 -> "p99", 0.999 -> "p99_9" (a dot would read as a sub-metric)."""
    return f"p{round(q * 100, 6):g}".replace(".", "_")


@dataclass(eq=False)  # identity: groups are looked up in families by object
class Group:
    endpoint: str
    klass: str
    start: int  # the group's requests are [start, end) of the group-ordered arrays
    end: int
    metrics: dict[str, Metric] = field(default_factory=dict)
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"endpoint={self.endpoint},latency_class={self.klass}"

    @property
    def n(self) -> int:
        return self.end - self.start


@dataclass
class Decision:
    """One comparison a p99 decides, with what it needs when it cannot be settled."""

    code: str
    group: Group
    value: float
    ci: tuple[float | None, float | None]  # decision interval (family-corrected)
    verdict: Verdict
    message: str
    n_needed: int | None = None


class GroupOrder:
    """The requests reordered so each endpoint x class group is one contiguous block (a stable
    radix sort on a small integer key keeps time order inside each block): per-group work is
    then a slice, never a gather."""

    def __init__(self, req: Requests, cold, training, minutes, eligible):
        n_keys = len(req.endpoints) * len(req.classes)
        key = req.endpoint.astype(np.int64) * len(req.classes) + req.klass
        small = key.astype(np.int16 if n_keys < 2 ** 15 else np.int32)  # numpy radix-sorts <= 16-bit keys
        self.order = np.argsort(small, kind="stable")
        counts = np.bincount(small, minlength=n_keys)
        del key, small
        edges = np.concatenate([[0], np.cumsum(counts)])
        self.groups = [Group(req.endpoints[g // len(req.classes)], req.classes[g % len(req.classes)],
                             int(edges[g]), int(edges[g + 1])) for g in np.flatnonzero(counts)]
        self.x = req.latency[self.order]
        # Times in group order are only needed to name training windows; the evidence maps back.
        self.ts = req.ts[self.order] if training is not None else None
        self.cold = None if cold is None else cold[self.order]
        self.training = None if training is None else training[self.order]
        self.minutes = None if minutes is None else minutes[self.order]
        self.eligible = None if eligible is None else eligible[self.order]

    def part(self, arr, g: Group):
        return None if arr is None else arr[g.start:g.end]


@dataclass
class Families:
    """Which groups each decision judges; the family sizes set the Bonferroni-corrected alphas."""

    slo: list[Group]
    cold: list[Group]
    base: dict[str, Group]  # latency class -> the baseline endpoint's group
    tuned: list[Group]
    a_slo: float
    a_cold: float
    a_train: float
    a_ft: float

    def alphas_for(self, g: Group, alpha: float) -> set[float]:
        return {alpha, alpha / 2, self.a_slo if g in self.slo else alpha, self.a_cold if g in self.cold else alpha,
                self.a_ft if (g in self.tuned or g in self.base.values()) else alpha}


def plan_families(groups: list[Group], cold_groups: list[Group], n_training_pairs: int, p: dict) -> Families:
    alpha, slo = p["alpha"], p["slo_ms"] or {}
    slo_groups = [g for g in groups if g.klass in slo]
    base = {g.klass: g for g in groups if g.endpoint == p["baseline_endpoint"]}
    tuned = [g for g in groups if p["baseline_endpoint"] is not None and g.endpoint != p["baseline_endpoint"]
             and g.klass in base]
    return Families(slo_groups, cold_groups, base, tuned, alpha / max(len(slo_groups), 1),
                    alpha / (2 * max(len(cold_groups), 1)), alpha / (2 * max(n_training_pairs, 1)),
                    alpha / (2 * max(len(tuned), 1)))


def estimate_groups(groups: list[Group], fam: Families, p: dict, tails_of) -> dict[int, dict[float, QuantileEstimate]]:
    """Reported quantiles into each group's metrics; p99 at every alpha a decision needs.
    `tails_of(g, alphas, reported, alpha)` reads one group (rows or a histogram)."""
    alpha, full = p["alpha"], {}
    for g in groups:
        reported, full[id(g)] = tails_of(g, fam.alphas_for(g, alpha), p["quantiles"], alpha)
        for est in reported:
            g.metrics[_name(est.q)] = Metric(est.value, est.ci_low, est.ci_high, n=est.n)
        g.metrics["requests"] = Metric(g.n)
    return full


def slo_decisions(fam: Families, full: dict, p: dict) -> list[Decision]:
    slo = p["slo_ms"] or {}
    return [_slo(g, full[id(g)], slo[g.klass], p["alpha"], fam.a_slo) for g in fam.slo]


def baseline_decisions(fam: Families, full: dict, p: dict) -> list[Decision]:
    return [_versus_baseline(g, full[id(g)], fam.base[g.klass], full[id(fam.base[g.klass])], p["alpha"], fam.a_ft, p)
            for g in fam.tuned]


def _tails(x: np.ndarray, alphas: set[float], reported: list[float] | None = None, alpha: float = 0.05):
    """p99 estimates at several alphas (and the reported quantiles) from one partition."""
    specs = [(q, alpha) for q in (reported or [])] + [(TAIL, a) for a in sorted(alphas)]
    ests = quantiles(x, specs)
    head = ests[:len(reported or [])]
    return head, dict(zip(sorted(alphas), ests[len(reported or []):]))


def _local_minutes(ts: np.ndarray, timezone: str) -> np.ndarray:
    if timezone in ("UTC", "Etc/UTC"):
        return ((ts // 60_000_000_000) % 1440).astype(np.int32)
    local = pd.DatetimeIndex(ts.view("datetime64[ns]"), tz="UTC").tz_convert(timezone)
    return (local.hour * 60 + local.minute).to_numpy(dtype=np.int32)


def _check_params(p: dict, req: Requests) -> None:
    from airflow_evalguard.timewindows import zone

    validate_bands(p["warn_at"], p["fail_at"])
    zone(p["timezone"])
    if any(not 0 < q < 1 for q in p["quantiles"]):
        raise EvalGuardInputError(f"param 'quantiles' must lie strictly between 0 and 1, got {p['quantiles']}")
    for klass, target in (p["slo_ms"] or {}).items():
        if not isinstance(target, (int, float)) or isinstance(target, bool) or target <= 0:
            raise EvalGuardInputError(f"param 'slo_ms': target for class {klass!r} must be a positive number of "
                                      f"ms, got {target!r}")
        if klass not in req.classes:
            raise EvalGuardInputError(f"param 'slo_ms': class {klass!r} has an SLO but no requests; classes in "
                                      f"the requests: {req.classes}")
    if p["baseline_endpoint"] is not None and p["baseline_endpoint"] not in req.endpoints:
        raise EvalGuardInputError(f"param 'baseline_endpoint': {p['baseline_endpoint']!r} has no requests; "
                                  f"endpoints: {req.endpoints[:20]}")


def run(tables: dict[str, TableInput], p: dict[str, Any]) -> CheckResult:
    from airflow_evalguard.checks.latency import cold as cold_mod
    from airflow_evalguard.checks.latency import training as training_mod
    from airflow_evalguard.timewindows import parse_windows

    from airflow_evalguard.checks.common.aggregates import one_form

    if one_form(set(tables) - {"training_windows"}, ("requests",), "histogram"):
        from airflow_evalguard.checks.latency.binned import run_binned

        return run_binned(tables, p)
    req = read_requests(tables["requests"], p)
    _check_params(p, req)
    protected = parse_windows(p["protected_windows"])

    cold = req.is_cold
    cold_method = "is_cold column" if cold is not None else None
    if cold is None and p["idle_timeout_s"] is not None:
        key = req.replica if req.replica is not None else req.endpoint
        cold = cold_mod.idle_gap_cold(req.ts, key, p["idle_timeout_s"])
        cold_method = f"idle gap >= {p['idle_timeout_s']} s on the {'replica' if req.replica is not None else 'endpoint'}"

    windows: list = []
    training = req.training
    if "training_windows" in tables:
        windows = training_mod.read_windows(tables["training_windows"])
        if training is None:
            training = training_mod.mask_from_windows(req.ts, req.pool, req.pools, windows)
    elif training is not None:
        windows = training_mod.windows_from_mask(req.ts, training)
    minutes = _local_minutes(req.ts, p["timezone"]) if training is not None and training.any() else None
    eligible = None
    if minutes is not None and protected:
        eligible = np.zeros(len(req), dtype=bool)
        for w in protected:
            eligible |= (minutes >= w.start_min) & (minutes < w.end_min) if w.start_min < w.end_min else \
                (minutes >= w.start_min) | (minutes < w.end_min)

    by_group = GroupOrder(req, cold, training, minutes, eligible)
    decisions = _decide(by_group, windows, p)
    metrics: dict[str, Metric] = {"requests": Metric(len(req)), "endpoints": Metric(len(req.endpoints))}
    if cold is not None:
        metrics["cold_start_rate"] = Metric(float(cold.mean()), n=len(req))
    notes = []
    if req.dropped_invalid:
        notes.append(Finding("info", "INVALID_LATENCY_DROPPED",
                             f"{req.dropped_invalid} request(s) with a missing, negative or infinite latency were "
                             "dropped (drop_invalid=true)"))
        metrics["dropped_invalid"] = Metric(req.dropped_invalid)
    if req.was_unsorted:
        notes.append(Finding("info", "TIMESTAMPS_SORTED", "requests were not in time order; sorted by ts"))
    params = {"quantile_method": "linear (numpy default)",
              "ci_method": "order-statistic binomial interval, two-sided (scipy.stats.quantile_test)",
              "cold_start_method": cold_method, "training_windows": [w.describe() for w in windows[:20]]}
    return result(by_group.groups, decisions, metrics, notes, _evidence(req, by_group), params, p)


def _decide(o: GroupOrder, windows, p) -> list[Decision]:
    alpha, groups = p["alpha"], o.groups
    cold_groups = [] if o.cold is None else [g for g in groups if o.part(o.cold, g).any() and not o.part(o.cold, g).all()]
    pairs = []
    if o.training is not None and o.minutes is not None:
        for g in groups:
            t, mins = o.part(o.training, g), o.part(o.minutes, g)
            ok = np.ones(g.n, dtype=bool) if o.eligible is None else o.part(o.eligible, g)
            busy = t & ok
            if busy.any():
                quiet = ~t & ok & np.isin(mins // 60, np.unique(mins[busy] // 60))
                if quiet.any():
                    pairs.append((g, busy, quiet))
    fam = plan_families(groups, cold_groups, len(pairs), p)
    full = estimate_groups(groups, fam, p, lambda g, alphas, reported, a: _tails(o.part(o.x, g), alphas, reported, a))

    decisions = slo_decisions(fam, full, p)
    if o.cold is not None:
        for g in groups:
            c = o.part(o.cold, g)
            g.metrics["cold_start_rate"] = Metric(float(c.mean()), n=g.n)
        for g in cold_groups:
            c, x = o.part(o.cold, g), o.part(o.x, g)
            _, warm = _tails(x[~c], {alpha, alpha / 2, fam.a_cold})
            decisions.append(_cold_tax(g, x, c, full[id(g)], warm, alpha, fam.a_cold, p))
    for g, busy, quiet in pairs:
        x = o.part(o.x, g)
        _, b = _tails(x[busy], {alpha / 2, fam.a_train})
        _, q = _tails(x[quiet], {alpha / 2, fam.a_train})
        decisions.append(_contention(g, b, q, o.part(o.ts, g)[busy], windows, alpha, fam.a_train, p))
    decisions += baseline_decisions(fam, full, p)
    for d in decisions:
        d.group.verdicts.append(d.verdict)
    return decisions


def _unsettled(code, g, what, alpha_used, n_have, per_side=True) -> Decision:
    need = n_required(TAIL, alpha_used)
    side = " on each side" if per_side else ""
    return Decision(code, g, float("nan"), (None, None), Verdict.INCONCLUSIVE,
                    f"{g.label}: {what} needs a p99 from at least {need} requests{side} to bound it at "
                    f"{1 - alpha_used:.4g} confidence (after the multiplicity correction); it has {n_have}", need)


def _ratio_decision(code: str, g: Group, num: QuantileEstimate, den: QuantileEstimate, a: float, what: str,
                    n_have: int, p: dict, message) -> Decision:
    """num/den - 1 by the gate rule, with the conservative ratio interval; `message(rel)` words it."""
    if not (num.bounded and den.bounded):
        return _unsettled(code, g, what, a, n_have)
    rel = num.value / den.value - 1
    lo, hi = ratio_interval(num, den)
    verdict = gate_rule(rel, hi, lo > 0, p["warn_at"], p["fail_at"])
    return Decision(code, g, rel, (lo, hi), verdict, message(rel))


def _slo(g: Group, tails, target, alpha, a) -> Decision:
    est, nominal = tails[a], tails[alpha]
    rel = est.value / target - 1
    lo_n = None if nominal.ci_low is None else nominal.ci_low / target - 1
    hi_n = None if nominal.ci_high is None else nominal.ci_high / target - 1
    g.metrics["slo_ms"] = Metric(target)
    g.metrics["slo_excess"] = Metric(rel, lo_n, hi_n, n=g.n)
    if not est.bounded:
        return _unsettled("SLO_BREACH", g, f"the SLO check ({target:g} ms)", a, g.n, per_side=False)
    lo, hi = est.ci_low / target - 1, est.ci_high / target - 1
    # The SLO is itself the line: a p99 significantly above it fails; one whose interval
    # straddles it cannot be called either way.
    verdict = gate_rule(rel, hi, lo > 0, 0.0, 0.0)
    msg = (f"{g.label}: p99 {est.value:.0f} ms vs SLO {target:g} ms ({rel:+.1%}; interval {est.ci_low:.0f}-"
           f"{est.ci_high:.0f} ms)")
    return Decision("SLO_BREACH", g, rel, (lo, hi), verdict, msg)


def _cold_tax(g: Group, x, cold, tails, warm, alpha, a, p) -> Decision:
    above = x > tails[alpha].value
    share = float(cold[above].mean()) if above.any() else 0.0
    return cold_tax_decision(g, tails, warm, share, int(above.sum()), alpha, a, p)


def cold_tax_decision(g: Group, tails, warm, tail_share: float, n_above: int, alpha, a, p) -> Decision:
    """COLD_START_TAX from p99 estimates with and without cold starts (rows or histograms)."""
    from airflow_evalguard.stats.order_stat import difference_interval

    point_all, point_warm = tails[alpha], warm[alpha]
    g.metrics["p99_warm"] = Metric(point_warm.value, point_warm.ci_low, point_warm.ci_high, n=point_warm.n)
    g.metrics["cold_tail_share"] = Metric(tail_share, n=n_above)
    lo, hi = difference_interval(tails[alpha / 2], warm[alpha / 2])
    g.metrics["cold_start_tax_ms"] = Metric(point_all.value - point_warm.value, lo, hi, n=g.n)
    est_all, est_warm = tails[a], warm[a]
    m = g.metrics
    return _ratio_decision(
        "COLD_START_TAX", g, est_all, est_warm, a, "the cold-start comparison", min(g.n, est_warm.n), p,
        lambda rel: (f"{g.label}: cold starts ({m['cold_start_rate'].value:.1%} of requests, "
                     f"{m['cold_tail_share'].value:.0%} of those above p99) add {m['cold_start_tax_ms'].value:.0f} ms "
                     f"to p99 ({rel:+.0%}: {est_all.value:.0f} ms vs {est_warm.value:.0f} ms warm)"))


def _contention(g: Group, busy, quiet, busy_ts, windows, alpha, a, p) -> Decision:
    from airflow_evalguard.checks.latency.training import overlapping

    nb, nq = busy[alpha / 2], quiet[alpha / 2]
    lo_n, hi_n = ratio_interval(nb, nq)
    g.metrics["p99_inflation_training"] = Metric(nb.value / nq.value - 1, lo_n, hi_n, n=nb.n)
    eb, eq = busy[a], quiet[a]
    named = overlapping(windows, busy_ts)
    shown = ", ".join(w.describe() for w in named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")
    return _ratio_decision(
        "TRAINING_CONTENTION", g, eb, eq, a, "the training comparison", min(eb.n, eq.n), p,
        lambda rel: (f"{g.label}: p99 while training runs is {eb.value:.0f} ms vs {eq.value:.0f} ms in the same hours "
                     f"without training ({rel:+.0%}); training windows: {shown or 'unnamed'}"))


def _versus_baseline(g: Group, tails, base: Group, base_tails, alpha, a, p) -> Decision:
    lo_n, hi_n = ratio_interval(tails[alpha / 2], base_tails[alpha / 2])
    g.metrics["p99_vs_baseline"] = Metric(tails[alpha].value / base_tails[alpha].value - 1, lo_n, hi_n, n=g.n)
    e, b = tails[a], base_tails[a]
    return _ratio_decision(
        "FINE_TUNE_TAIL_REGRESSION", g, e, b, a, f"the comparison with {base.endpoint}", min(g.n, base.n), p,
        lambda rel: f"{g.label}: p99 {e.value:.0f} ms vs {b.value:.0f} ms on baseline endpoint {base.endpoint} ({rel:+.0%})")


TOP_LEVEL = {"SLO_BREACH": ("slo_breach", "klass"), "TRAINING_CONTENTION": ("p99_inflation.training", "klass"),
             "COLD_START_TAX": ("cold_start_tax", "endpoint"), "FINE_TUNE_TAIL_REGRESSION": ("p99_regression", "endpoint")}


def result(groups, decisions, metrics, notes, evidence, params, p) -> CheckResult:
    """The result from judged groups: top-level metrics, findings, slices (shared by rows and histograms)."""
    findings: list[Finding] = []
    for d in decisions:  # top level: the worst slice of each decision, per class or endpoint
        name, by = TOP_LEVEL[d.code]
        key = f"{name}[{getattr(d.group, by)}]"
        if np.isfinite(d.value) and (key not in metrics or d.value > metrics[key].value):
            metrics[key] = Metric(d.value, *d.ci, n=d.group.n)
        if d.verdict in (Verdict.FAIL, Verdict.WARN):
            findings.append(Finding(d.verdict.value.lower(), d.code, d.message, slice=d.group.label))
        elif d.verdict is Verdict.INCONCLUSIVE:
            findings.append(Finding("warn", "TOO_FEW_REQUESTS", d.message, slice=d.group.label))
    decided = {(d.group.label, "p99") for d in decisions}
    reported = {_name(q) for q in p["quantiles"]}
    unbounded = [f"{g.label} {name}" for g in groups for name, m in g.metrics.items()
                 if name in reported and (m.ci_low is None or m.ci_high is None) and (g.label, name) not in decided]
    if unbounded:
        findings.append(Finding("info", "QUANTILE_CI_UNBOUNDED",
                                f"{len(unbounded)} quantile(s) have too few requests for a two-sided interval and are "
                                f"reported without one (no decision uses them): {', '.join(unbounded[:8])}"
                                + (" ..." if len(unbounded) > 8 else "")))
    findings.extend(notes)
    verdict = worst([d.verdict for d in decisions])
    slices = [SliceResult(g.label, worst(g.verdicts), g.metrics) for g in groups]
    slices.sort(key=lambda s: -s.verdict.rank)
    return CheckResult(
        check="latency_tail", verdict=verdict,
        summary=_summary(verdict, decisions, groups, int(metrics["requests"].value)),
        metrics=metrics, slices=slices, findings=findings, evidence=evidence,
        params={**params,
                "ratio_ci_method": "two order-statistic intervals at alpha/2 each (conservative)",
                "multiplicity": "Bonferroni within each decision family",
                "n_required_p99": n_required(TAIL, p["alpha"])},
    )


def _summary(verdict, decisions, groups, n) -> str:
    bad = [d for d in decisions if d.verdict in (Verdict.FAIL, Verdict.WARN)]
    if bad:
        bad.sort(key=lambda d: -d.verdict.rank)
        return f"Tail latency {verdict.value}: " + "; ".join(d.message for d in bad[:3]) + (
            f"; and {len(bad) - 3} more" if len(bad) > 3 else "") + "."
    if verdict is Verdict.INCONCLUSIVE:
        short = [d for d in decisions if d.verdict is Verdict.INCONCLUSIVE]
        return (f"Tail latency cannot be judged: {len(short)} decision(s) lack requests, e.g. {short[0].message}.")
    what = sorted({d.code.lower().replace('_', ' ') for d in decisions}) or ["no decision configured"]
    return f"Tail latency holds over {n:,} requests in {len(groups)} endpoint/class group(s) ({', '.join(what)})."


def _evidence(req: Requests, o: GroupOrder) -> pd.DataFrame:
    """The slowest requests of each group (up to 1% of it, at most 50): what the tail is made of."""
    picks = []
    for g in o.groups:
        x = o.part(o.x, g)
        k = min(EVIDENCE_PER_SLICE, max(1, g.n // 100))
        local = np.argpartition(x, g.n - k)[g.n - k:] if g.n > k else np.arange(g.n)
        picks.append(g.start + local)
    idx = np.concatenate(picks) if picks else np.array([], dtype=np.int64)
    rows = o.order[idx]
    frame = pd.DataFrame({
        "ts": pd.to_datetime(req.ts[rows], utc=True),
        "endpoint": np.array(req.endpoints, dtype=object)[req.endpoint[rows]],
        "latency_class": np.array(req.classes, dtype=object)[req.klass[rows]],
        "latency_ms": o.x[idx],
    })
    if o.cold is not None:
        frame["is_cold"] = o.cold[idx]
    if o.training is not None:
        frame["training_active"] = o.training[idx]
    return frame.sort_values("latency_ms", ascending=False, ignore_index=True)


SPEC = CheckSpec(
    name="latency_tail",
    summary="Is the p99 of each endpoint and latency class within its SLO, and is it inflated by cold starts, by "
            "training sharing the GPU pool, or by a fine-tune against its base model?",
    inputs={
        "requests": InputSpec("one row per request: ts, endpoint (or model), latency_ms; optional replica, is_cold, "
                              "latency_class, training_active, pool", required=False),
        "histogram": InputSpec("instead of requests: counts per bin of the log grid: endpoint, optional "
                               "latency_class and is_cold, bin, count (airflow_evalguard.sources.histograms)",
                               required=False),
        "training_windows": InputSpec("training windows: start, end (with a time zone), optional pool",
                                      required=False),
    },
    params={
        "quantiles": ParamSpec([0.5, 0.95, 0.99], list, "quantiles reported per endpoint and class"),
        "slo_ms": ParamSpec(None, dict, "latency_class -> p99 target in ms", nullable=True),
        "idle_timeout_s": ParamSpec(None, float, "a request after at least this idle gap on its replica (or "
                                                 "endpoint) is a cold start, when is_cold is absent", nullable=True,
                                    minimum=0),
        "baseline_endpoint": ParamSpec(None, str, "endpoint (e.g. the base model) every other endpoint's p99 is "
                                                  "compared with", nullable=True),
        "protected_windows": ParamSpec(None, list, "daily windows 'HH:MM-HH:MM' (in timezone) where training "
                                                   "contention is judged", nullable=True),
        "timezone": ParamSpec("UTC", str, "time zone of the protected windows and of naive timestamps"),
        "warn_at": ParamSpec(0.10, float, "relative p99 inflation that warns", minimum=0),
        "fail_at": ParamSpec(0.25, float, "relative p99 inflation that fails", minimum=0),
        "alpha": ParamSpec(0.05, float, "significance level; intervals are at 1 - alpha", minimum=1e-6, maximum=0.5),
        "drop_invalid": ParamSpec(False, bool, "count and drop NaN/negative latencies instead of failing"),
    },
    decide=run,
)
