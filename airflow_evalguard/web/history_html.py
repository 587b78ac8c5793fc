"""HTML of the plugin's tabs and history page: server-rendered, no JavaScript, every string escaped.

Jinja2 with autoescape on (templates in web/templates/); the only markup passed through unescaped
is the SVG that web/history_svg.py builds (which escapes every string itself).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from airflow_evalguard.web.history_svg import VERDICT_COLOURS, metric_text

# Words never break inside; identifiers (gate, check, finding codes, run ids) break only after
# their separators (the `ident` filter), and a table still wider than its frame scrolls sideways
# in its .scroll box. Text cells keep a readable width.
STYLE = """
body{font-family:system-ui,sans-serif;margin:12px;color:#1a1a1a;max-width:1400px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid #ddd;padding:4px 6px;
text-align:left;vertical-align:top}td.code{white-space:nowrap}.verdict{font-weight:600;padding:1px 6px;color:#fff;
border-radius:3px;white-space:nowrap}.note{background:#fff8e1;border-left:4px solid #f9a825;padding:6px 10px}
.muted{color:#666}form{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:10px}
label{display:flex;flex-direction:column;font-size:13px}section{margin:14px 0}nav a{margin-right:10px}
td{overflow-wrap:break-word}.scroll{overflow-x:auto}td.text{min-width:14em}
@media (max-width:900px){body{margin:6px}th,td{padding:3px}}
"""
RUN_TAB, NO_RESULT, HISTORY, TRIES_BAR = "run_tab.html.j2", "no_result.html.j2", "history.html.j2", "tries_bar.html.j2"


BREAK_AFTER = ("_", "/", "@", ":")  # not "." or "-": a number would split


def ident(name: Any) -> Markup:
    """`name` escaped, with a line-break opportunity after each separator: `assignment_integrity_gate`
    wraps as `assignment_ / integrity_ / gate` in a narrow frame, never inside a word. (Escaped
    first: no separator occurs in an HTML entity, so the breaks never split one.)"""
    text = str(escape("" if name is None else name))
    for separator in BREAK_AFTER:
        text = text.replace(separator, separator + "<wbr>")
    return Markup(text)


@cache
def _environment() -> Environment:
    environment = Environment(loader=PackageLoader("airflow_evalguard.web", "templates"), autoescape=True)
    environment.filters["ident"] = ident
    return environment


def render(template: str, **context: Any) -> str:
    """Render one of web/templates/ (autoescaped)."""
    page = _environment().get_template(template)
    return page.render(style=Markup(STYLE), colours=VERDICT_COLOURS, **context)


def when(stamp: str) -> str:
    """`20261130T101500000000Z` -> `2026-11-30 10:15:00`."""
    return f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}"


def point_row(record: dict[str, Any], new: tuple[str, ...], href: str) -> dict[str, Any]:
    return {
        "when": when(record["at"]),
        "run_id": record["run_id"],
        "try_number": record["try_number"],
        "verdict": record["verdict"],
        "metric": metric_text(record.get("headline")),
        "findings": record["findings"],
        "new": new,
        "href": href,
    }


def svg_markup(svg: str) -> Markup:
    """The SVG web/history_svg.py built; it escaped every string it holds."""
    return Markup(svg)  # noqa: S704 - built from escaped parts only (history_svg.py)
