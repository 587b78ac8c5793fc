"""One or more plots per check, as inline SVG.

Text is drawn as paths (`svg.fonttype = "path"`): labels that come from data (slice names,
criteria) become shapes, so nothing in a plot can be read as markup. Long labels are cut.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure

log = logging.getLogger(__name__)

MAX_ROWS = 40  # rows in a forest or bar plot: the worst ones; the tables hold the rest
LABEL_CHARS = 48


# Applied around each plot (not set globally): text as paths, so no label from data is markup.
STYLE: dict[Any, Any] = {
    "svg.fonttype": "path",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "evalguard",
}


def _figure(figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    # A bare Figure: no pyplot, no GUI backend, nothing registered globally to close afterwards.
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


def _label(text) -> str:
    text = str(text)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]  # drop the XML prolog and DOCTYPE: the SVG is inlined in HTML


def _finite(*values) -> bool:
    return all(v is not None and isinstance(v, (int, float)) and math.isfinite(v) for v in values)


@rc_context(STYLE)
def forest(
    rows: list[tuple[str, float, float | None, float | None]], title: str, xlabel: str, ref: float | None = 0.0
) -> str | None:
    """Point with interval per row (label, value, low, high); rows without a value are skipped."""
    rows = [r for r in rows if _finite(r[1])][:MAX_ROWS]
    if not rows:
        return None
    fig, ax = _figure((7, 0.32 * len(rows) + 1.2))
    for i, (_, v, lo, hi) in enumerate(rows):
        interval = (lo, hi) if lo is not None and hi is not None and _finite(lo, hi) else None
        if interval is not None:
            ax.plot(list(interval), [i, i], color="#555", lw=1.5)
        beyond = ref is not None and interval is not None and (interval[0] > ref or interval[1] < ref)
        ax.plot([v], [i], "o", color="#b03a2e" if beyond else "#1f618d")
    if ref is not None:
        ax.axvline(ref, color="#999", lw=0.8, ls="--")
    ax.set_yticks(range(len(rows)), [_label(r[0]) for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return _svg(fig)


@rc_context(STYLE)
def bars(rows: list[tuple[str, float]], title: str, xlabel: str) -> str | None:
    rows = [r for r in rows if _finite(r[1])][:MAX_ROWS]
    if not rows:
        return None
    fig, ax = _figure((7, 0.3 * len(rows) + 1.2))
    ax.barh(range(len(rows)), [r[1] for r in rows], color="#1f618d")
    ax.set_yticks(range(len(rows)), [_label(r[0]) for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return _svg(fig)


@rc_context(STYLE)
def paired_bars(
    labels: list[str], a: list[float], b: list[float], names: tuple[str, str], title: str, ylabel: str
) -> str | None:
    if not labels:
        return None
    fig, ax = _figure((max(6, 0.3 * len(labels) + 2), 3.2))
    x = range(len(labels))
    ax.bar([i - 0.2 for i in x], a, width=0.4, label=names[0], color="#7f8c8d")
    ax.bar([i + 0.2 for i in x], b, width=0.4, label=names[1], color="#1f618d")
    ax.set_xticks(list(x), [_label(v) for v in labels], rotation=60, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    return _svg(fig)


@rc_context(STYLE)
def heatmap(rows: list[str], cols: list[str], matrix: list[list[float]], title: str) -> str | None:
    if not rows:
        return None
    data = np.array(matrix, dtype=float)
    limit = float(np.nanmax(np.abs(data))) if np.isfinite(data).any() else 1.0
    fig, ax = _figure((2 + 1.4 * len(cols), 0.4 * len(rows) + 1.4))
    im = ax.imshow(data, cmap="RdBu_r", vmin=-limit or -1, vmax=limit or 1, aspect="auto")
    ax.set_xticks(range(len(cols)), cols)
    ax.set_yticks(range(len(rows)), [_label(r) for r in rows])
    for i in range(len(rows)):
        for j in range(len(cols)):
            if math.isfinite(data[i, j]):
                ax.text(j, i, f"{data[i, j]:+.2f}", ha="center", va="center", fontsize=8)
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.set_title(title)
    return _svg(fig)


@rc_context(STYLE)
def line_ci(xs: list[str], series: dict[str, list[tuple[float, float | None, float | None]]], title: str) -> str | None:
    if not xs:
        return None
    fig, ax = _figure((7, 3.2))
    for name, points in series.items():
        ys = [p[0] for p in points]
        ax.plot(range(len(xs)), ys, "o-", label=name)
        lows = [p[1] if p[1] is not None and _finite(p[1]) else p[0] for p in points]
        highs = [p[2] if p[2] is not None and _finite(p[2]) else p[0] for p in points]
        ax.fill_between(range(len(xs)), lows, highs, alpha=0.2)
    ax.set_xticks(range(len(xs)), [_label(x) for x in xs], rotation=30, ha="right")
    ax.set_title(title)
    ax.legend()
    return _svg(fig)


# -- which plots each check gets ------------------------------------------------------------------


def _metric(m: dict | None):
    m = m or {}
    return m.get("value"), m.get("ci_low"), m.get("ci_high")


def _slice_forest(result, metric: str, title: str, xlabel: str, ref=0.0):
    rows = [(s["slice"], *_metric(s["metrics"].get(metric))) for s in result["slices"] if metric in s["metrics"]]
    return forest(rows, title, xlabel, ref)


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
            "change in compliance with harmful prompts",
        ),
        _slice_forest(
            result,
            "over_refusal_rate.delta",
            "Over-refusal, tuned - base, per category",
            "change in refusal of benign prompts",
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
        _slice_forest(result, "cold_start_tax_ms", "Cold-start tax on p99 (ms)", "p99 - p99 without cold starts")
    )
    return out


def _top_level_forest(result, evidence):
    rows = [
        (name, *_metric(m))
        for name, m in result["metrics"].items()
        if _finite(m.get("value"), m.get("ci_low"), m.get("ci_high"))
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
    "slice_retention": [lambda r, e: [_slice_forest(r, "drop", "Teacher - student per slice", "drop")]],
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
