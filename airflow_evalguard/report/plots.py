"""One or more plots per check, as inline SVG, drawn with the chart kinds of report/charts.py."""

from __future__ import annotations

import logging
from collections.abc import Callable

from airflow_evalguard.report.charts import bars, finite, forest, heatmap, line_ci, paired_bars

log = logging.getLogger(__name__)

# -- which plots each check gets ------------------------------------------------------------------


def _metric(m: dict | None):
    m = m or {}
    return m.get("value"), m.get("ci_low"), m.get("ci_high")


def _slice_forest(result, metric: str, title: str, xlabel: str, ref=0.0, worse="both"):
    rows = [(s["slice"], *_metric(s["metrics"].get(metric))) for s in result["slices"] if metric in s["metrics"]]
    return forest(rows, title, xlabel, ref, worse)


def _sampling_window(result, evidence):
    if evidence is None or "dimension" not in evidence:
        return []
    hours = evidence[evidence["dimension"] == "hour_of_day"]
    if hours.empty:
        return []
    labels = [str(s).split("=", 1)[-1] for s in hours["stratum"]]
    return [
        paired_bars(
            labels,
            hours["reference_share"].tolist(),
            hours["sample_share"].tolist(),
            ("production", "eval sample"),
            "Sample vs production mix by hour of day",
            "share",
        )
    ]


def _refusal(result, evidence):
    return [
        _slice_forest(
            result,
            "harmful_compliance_rate.delta",
            "Harmful compliance, tuned - base, per category",
            "change in compliance with harmful prompts (right of 0: more compliance, worse)",
            worse="above",
        ),
        _slice_forest(
            result,
            "over_refusal_rate.delta",
            "Over-refusal, tuned - base, per category",
            "change in refusal of benign prompts (right of 0: more over-refusal, worse)",
            worse="above",
        ),
    ]


def _rubric(result, evidence):
    rows = [s for s in result["slices"] if "rubric_axis" in s["metrics"]]
    matrix = [
        [_metric(s["metrics"].get(a))[0] for a in ("rubric_axis", "judge_axis", "composite_contribution")] for s in rows
    ]
    matrix = [[v if v is not None else float("nan") for v in r] for r in matrix]
    return [
        heatmap(
            [s["slice"] for s in rows],
            ["rubric axis", "judge axis", "composite"],
            matrix,
            "Drift per criterion on two axes",
        )
    ]


def _labelers(result, evidence):
    rows = [s for s in result["slices"] if s["slice"].startswith("batch=")]
    series = {
        name: [_metric(s["metrics"].get(name)) for s in rows]
        for name in ("alpha", "discrimination")
        if all(name in s["metrics"] for s in rows)
    }
    return [line_ci([s["slice"].split("=", 1)[1] for s in rows], series, "Agreement and discrimination by batch")]


def _latency(result, evidence):
    out = []
    out.append(_slice_forest(result, "p99", "p99 latency per endpoint and class (ms), with interval", "ms", None))
    out.append(
        _slice_forest(
            result, "cold_start_tax_ms", "Cold-start tax on p99 (ms)", "p99 - p99 without cold starts", worse="above"
        )
    )
    return out


def _top_level_forest(result, evidence):
    rows = [
        (name, *_metric(m))
        for name, m in result["metrics"].items()
        if finite(m.get("value"), m.get("ci_low"), m.get("ci_high"))
    ]
    return [forest(rows, "Metrics with their intervals", "value", None)]


def _counts(prefix: str, title: str):
    def plot(result, evidence):
        rows = [
            (name[len(prefix) + 1 : -1], m.get("value"))
            for name, m in result["metrics"].items()
            if name.startswith(prefix + "[")
        ]
        rows.sort(key=lambda r: -(r[1] or 0))
        return [bars(rows, title, "rows")]

    return plot


PLOTS: dict[str, list[Callable]] = {
    "sampling_window": [_sampling_window],
    "refusal_regression": [_refusal],
    "slice_retention": [
        lambda r, e: [
            _slice_forest(
                r,
                "drop",
                "Drop per slice, teacher - student (worst first)",
                "drop (right of 0: the student lost; left of 0: the student improved)",
                worse="above",
            )
        ]
    ],
    "rubric_drift": [_rubric],
    "labeler_agreement": [_labelers],
    "latency_tail": [_latency],
    "output_contract": [_counts("unexpected_count", "Rows breaking each expectation")],
    "feedback_provenance": [_counts("rule_failures", "Rows failing each rule")],
    "assignment_integrity": [
        lambda r, e: [
            forest(
                [(n, *_metric(m)) for n, m in r["metrics"].items() if n.startswith("smd[")],
                "Covariate balance (SMD)",
                "SMD",
            )
        ]
    ],
}


def plots_for(result: dict, evidence) -> list[str]:
    """SVG strings; a plot that cannot be drawn from this result is left out, never an error."""
    makers = PLOTS.get(str(result.get("check")), []) + [_top_level_forest]
    out: list[str] = []
    for make in makers:
        try:
            out.extend(svg for svg in make(result, evidence) if svg)
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            # A result shaped unlike the check's usual one: the tables still show everything.
            log.warning("report: plot %s skipped for %s: %s", getattr(make, "__name__", make), result.get("check"), exc)
    return out
