"""One gate's history as inline SVG: a verdict strip and its headline metric per run.

Drawn by hand (a few rects, lines and circles): the page is served by the API server, which
should not load matplotlib for it. Every string is escaped; every mark links to its report and
carries a <title>, and the figure a <title> and <desc>, so a screen reader or a text browser
reads what the picture shows.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from airflow_evalguard.publish.history_view import GatePoint, GateSeries, metric_text, number

VERDICT_COLOURS = {"PASS": "#2e7d32", "WARN": "#f9a825", "INCONCLUSIVE": "#6a1b9a", "FAIL": "#c62828"}
WIDTH, STRIP, PLOT, LEFT, RIGHT = 900, 22, 140, 70, 20


def point_title(point: GatePoint) -> str:
    record = point.record
    parts = [f"{record['run_id']}: {record['verdict']}", metric_text(record.get("headline"))]
    if point.new_findings:
        parts.append("new since last run: " + ", ".join(point.new_findings))
    if record.get("top_finding"):
        parts.append(record["top_finding"])
    return " · ".join(parts)


def _scale(series: GateSeries) -> tuple[float, float] | None:
    values: list[float] = []
    for point in series.points:
        head = point.record.get("headline") or {}
        values += [v for k in ("value", "ci_low", "ci_high", "warn_at", "fail_at") if (v := head.get(k)) is not None]
    if not values:
        return None
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
    return low - pad, high + pad


def _threshold_lines(head: dict[str, Any], y: Callable[[float], float]) -> list[str]:
    lines = []
    for key, colour, label in (("warn_at", "#f9a825", "warn"), ("fail_at", "#c62828", "fail")):
        if head.get(key) is not None:
            at = y(head[key])
            lines.append(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{at:.1f}" y2="{at:.1f}" stroke="{colour}" '
                f'stroke-dasharray="6 4"><title>{label} at {number(head[key])}</title></line>'
                f'<text x="{LEFT - 4}" y="{at + 4:.1f}" text-anchor="end" font-size="11">{label}</text>'
            )
    return lines


def _point_marks(point: GatePoint, x: float, y: Callable[[float], float], href: str) -> str:
    head = point.record.get("headline") or {}
    colour = VERDICT_COLOURS[point.record["verdict"]]
    marks = []
    if head.get("ci_low") is not None and head.get("ci_high") is not None:
        marks.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y(head["ci_low"]):.1f}" y2="{y(head["ci_high"]):.1f}" '
            f'stroke="{colour}" stroke-width="3" stroke-opacity="0.45"/>'
        )
    if head.get("value") is not None:
        marks.append(f'<circle cx="{x:.1f}" cy="{y(head["value"]):.1f}" r="3.5" fill="{colour}"/>')
    title = f"<title>{escape(point_title(point))}</title>"
    return f'<a href="{escape(href)}">{title}{"".join(marks)}</a>'


def series_svg(series: GateSeries, href_of: Callable[[GatePoint], str]) -> str:
    """The SVG of one gate: verdict strip on top, metric with its interval below."""
    count = max(len(series.points), 1)
    step = (WIDTH - LEFT - RIGHT) / count
    top = STRIP + 14
    scale = _scale(series)
    body = []
    for i, point in enumerate(series.points):
        x0, colour = LEFT + i * step, VERDICT_COLOURS[point.record["verdict"]]
        new = (
            f'<text x="{x0 + step / 2:.1f}" y="{STRIP + 11}" text-anchor="middle" font-size="11">★</text>'
            if point.new_findings
            else ""
        )
        body.append(
            f'<a href="{escape(href_of(point))}"><title>{escape(point_title(point))}</title>'
            f'<rect x="{x0 + 1:.1f}" y="2" width="{max(step - 2, 1):.1f}" height="{STRIP - 4}" '
            f'fill="{colour}"/>{new}</a>'
        )
    if scale is not None:
        low, high = scale

        def y(value: float) -> float:
            return top + PLOT - (value - low) / (high - low) * PLOT

        latest: dict[str, Any] = next(
            (p.record["headline"] for p in reversed(series.points) if p.record.get("headline")), {}
        )
        body += _threshold_lines(latest, y)
        body += [_point_marks(p, LEFT + (i + 0.5) * step, y, href_of(p)) for i, p in enumerate(series.points)]
        body.append(
            f'<text x="{LEFT - 4}" y="{top + 10}" text-anchor="end" font-size="11">{number(high)}</text>'
            f'<text x="{LEFT - 4}" y="{top + PLOT}" text-anchor="end" font-size="11">{number(low)}</text>'
        )
    height = top + (PLOT + 10 if scale is not None else 0)
    blocked = sum(p.blocked for p in series.points)
    name = (series.points[-1].record.get("headline") or {}).get("name", "no metric") if series.points else "no metric"
    desc = (
        f"{len(series.points)} runs of gate {series.label} ({series.check}) on DAG {series.dag_id}, oldest left; "
        f"{blocked} FAIL or INCONCLUSIVE. Top strip: verdict per run; below: {name} per run with its "
        "interval and the warn and fail lines; a star marks a finding new since the gate's previous run."
    )
    return (
        f'<svg role="img" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">'
        f"<title>History of {escape(series.label)} on {escape(series.dag_id)}</title><desc>{escape(desc)}</desc>"
        + "".join(body)
        + "</svg>"
    )
