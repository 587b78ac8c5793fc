"""Render a result as a self-contained HTML page, and a run's gates as a summary page.

Dicts in, HTML out: nothing here reads or writes a store (that is the publish layer's).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from airflow_evalguard.core.number_words import count, names_a_p_value, number, p_value
from airflow_evalguard.report.plots import plots_for

MAX_SLICES = 500  # worst first; a 50,000-slice result stays a few MB and opens fast
MAX_METRICS = 2000
MAX_EVIDENCE_ROWS = 200
VERDICT_ORDER = {"FAIL": 0, "INCONCLUSIVE": 1, "WARN": 2, "PASS": 3}


def fmt(value: Any) -> str:
    return number(value)


def fmt_named(value: Any, name: str) -> str:
    """A metric's or evidence column's value: a p-value by core.number_words.p_value (never "0"),
    anything else as a number."""
    return p_value(value) if names_a_p_value(str(name)) else number(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("airflow_evalguard.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    env.filters["fmt_named"] = fmt_named
    env.filters["count"] = count
    return env


def _evidence_rows(evidence: Any) -> tuple[list[str] | None, list[list[Any]], int]:
    if evidence is None:
        return None, [], 0
    head = evidence.head(MAX_EVIDENCE_ROWS)
    columns = [str(c) for c in head.columns]
    rows = [
        [v if isinstance(v, str) else fmt_named(v, column) for v, column in zip(row, columns, strict=True)]
        for row in head.itertuples(index=False)
    ]
    return columns, rows, len(evidence)


def render_report(result: dict[str, Any], evidence: Any = None, evidence_note: str | None = None) -> str:
    slices = sorted(result.get("slices", []), key=lambda s: VERDICT_ORDER.get(s.get("verdict"), 9))
    metrics = list(result.get("metrics", {}).items())
    columns, rows, n_evidence = _evidence_rows(evidence)
    # matplotlib SVG with text as paths: markup we generated, with no text from data inside.
    plots = [Markup(svg) for svg in plots_for(result, evidence)]
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            r=result,
            slices=slices[:MAX_SLICES],
            n_slices=len(slices),
            metrics=metrics[:MAX_METRICS],
            n_metrics=len(metrics),
            plots=plots,
            evidence_columns=columns,
            evidence_rows=rows,
            n_evidence=n_evidence,
            evidence_note=evidence_note,
            max_evidence=MAX_EVIDENCE_ROWS,
            params_json=json.dumps(result.get("params", {}), indent=2, sort_keys=True, default=str),
        )
    )


def render_summary(title: str, entries: list[dict[str, Any]]) -> str:
    """entries: {task_id, label, check, verdict, summary, report_href, result_uri}, worst first.
    An entry without a verdict (UNREADABLE, NOT_RUN, ERROR: a gate with no readable result)
    comes first and makes the page FAIL: the summary fails closed like the gates."""

    def rank(e: dict[str, Any]) -> int:
        return VERDICT_ORDER.get(str(e.get("verdict")), -1)

    def order(e: dict[str, Any]) -> tuple[int, str, int]:
        index = e.get("map_index")
        return rank(e), str(e.get("task_id", "")), index if isinstance(index, int) else -1

    entries = sorted(entries, key=order)
    ranks = [rank(e) for e in entries]
    overall = "PASS" if not ranks else "FAIL" if min(ranks) < 0 else entries[0]["verdict"]
    return environment().get_template("summary.html.j2").render(title=title, entries=entries, overall=overall)
