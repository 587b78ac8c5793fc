"""The chart kinds the reports draw (forest, bars, paired bars, heatmap, line with band), as
inline SVG; report/plots.py picks which ones each check gets.

Text is drawn as paths (`svg.fonttype = "path"`): labels that come from data (slice names,
criteria) become shapes, so nothing in a plot can be read as markup. Long labels are cut.
"""

from __future__ import annotations

import io
import math
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure

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


def finite(*values) -> bool:
    return all(v is not None and isinstance(v, (int, float)) and math.isfinite(v) for v in values)


WORSE, BETTER, UNDECIDED = "#b03a2e", "#1e8449", "#1f618d"


def _point_colour(interval: tuple[float, float] | None, ref: float | None, worse: str) -> str:
    """Red only for an interval wholly on the worse side of `ref`; green wholly on the better side
    (an improvement is never drawn as a loss); blue when the interval straddles it or is missing.
    `worse` is "above", "below" or "both" (either side is a departure, e.g. an SMD)."""
    if ref is None or interval is None:
        return UNDECIDED
    above, below = interval[0] > ref, interval[1] < ref
    if worse == "both":
        return WORSE if above or below else UNDECIDED
    if (above and worse == "above") or (below and worse == "below"):
        return WORSE
    return BETTER if above or below else UNDECIDED


@rc_context(STYLE)
def forest(
    rows: list[tuple[str, float, float | None, float | None]],
    title: str,
    xlabel: str,
    ref: float | None = 0.0,
    worse: str = "both",
) -> str | None:
    """Point with interval per row (label, value, low, high); rows without a value are skipped."""
    rows = [r for r in rows if finite(r[1])][:MAX_ROWS]
    if not rows:
        return None
    fig, ax = _figure((7, 0.32 * len(rows) + 1.2))
    for i, (_, v, lo, hi) in enumerate(rows):
        interval = (lo, hi) if lo is not None and hi is not None and finite(lo, hi) else None
        if interval is not None:
            ax.plot(list(interval), [i, i], color="#555", lw=1.5)
        ax.plot([v], [i], "o", color=_point_colour(interval, ref, worse))
    if ref is not None:
        ax.axvline(ref, color="#999", lw=0.8, ls="--")
    return _labelled_rows(fig, ax, [r[0] for r in rows], title, xlabel)


def _labelled_rows(fig: Figure, ax: Axes, names: list[str], title: str, xlabel: str) -> str:
    """One row per name, first at the top (the worst-first order the tables use)."""
    ax.set_yticks(range(len(names)), [_label(name) for name in names])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return _svg(fig)


@rc_context(STYLE)
def bars(rows: list[tuple[str, float]], title: str, xlabel: str) -> str | None:
    rows = [r for r in rows if finite(r[1])][:MAX_ROWS]
    if not rows:
        return None
    fig, ax = _figure((7, 0.3 * len(rows) + 1.2))
    ax.barh(range(len(rows)), [r[1] for r in rows], color="#1f618d")
    return _labelled_rows(fig, ax, [r[0] for r in rows], title, xlabel)


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
        lows = [p[1] if p[1] is not None and finite(p[1]) else p[0] for p in points]
        highs = [p[2] if p[2] is not None and finite(p[2]) else p[0] for p in points]
        ax.fill_between(range(len(xs)), lows, highs, alpha=0.2)
    ax.set_xticks(range(len(xs)), [_label(x) for x in xs], rotation=30, ha="right")
    ax.set_title(title)
    ax.legend()
    return _svg(fig)
