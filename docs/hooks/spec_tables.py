"""mkdocs hook: a check page's input and parameter tables, generated from the check's spec.

A page writes `<!-- evalguard:spec <check> -->` on a line of its own where the tables belong; this hook replaces the
marker with tables built from `airflow_evalguard.checks.get_check(<check>).describe()`, so the
documented defaults, types, choices and help texts are the ones the code validates against and
cannot drift from them. A marker naming a check the registry does not know fails the build.

The navigation's "Checks" section gets one entry per registered check (`checks/<check>.md`), so
adding a check means its package, its registry line and its page; a registered check without a
page fails the strict build.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mkdocs.exceptions import PluginError

from airflow_evalguard.checks import check_names, get_check

# A marker stands on a line of its own; one quoted inside a sentence (in backticks) is prose.
MARKER = re.compile(r"^[ \t]*<!--\s*evalguard:spec\s+(?P<name>\S+?)\s*-->[ \t]*$", re.MULTILINE)


def _cell(text: Any) -> str:
    """Text safe inside one Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return f"`{_cell(shown)}`"


def _bounds(spec: Any, name: str) -> str:
    """Choices, else the numeric range the spec enforces (read off the ParamSpec when it has one)."""
    described = spec.describe()["params"][name]
    if described.get("choices"):
        return ", ".join(_code(choice) for choice in described["choices"])
    param = spec.params.get(name) if hasattr(spec, "params") else None
    low, high = getattr(param, "minimum", None), getattr(param, "maximum", None)
    if low is not None and high is not None:
        return f"{_number(low)} to {_number(high)}"
    if low is not None:
        return f">= {_number(low)}"
    if high is not None:
        return f"<= {_number(high)}"
    return ""


def _number(value: float) -> str:
    """Whole numbers in full (a seed's 4,294,967,295, not 4.29e+09), others as Python prints them."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return repr(float(value))


def spec_tables(name: str) -> str:
    """The Markdown for one check: its summary, inputs table and parameters table."""
    if name not in check_names():
        raise PluginError(f"evalguard:spec marker names unknown check {name!r}; known checks: {check_names()}")
    try:
        spec = get_check(name)
    except Exception as error:  # a registry entry whose spec does not load: say which, fail the build
        raise PluginError(f"evalguard:spec {name!r}: the check's spec cannot be loaded: {error!r}") from error
    described = spec.describe()
    lines = [f"> {described['summary']}", "", "### Inputs", "", "| input | required | what it holds |", "|---|---|---|"]
    for input_name, item in described["inputs"].items():
        lines.append(f"| `{input_name}` | {'yes' if item['required'] else 'no'} | {_cell(item['help'])} |")
    lines += ["", "### Parameters", "", "| parameter | type | default | allowed | meaning |", "|---|---|---|---|---|"]
    for param_name, item in described["params"].items():
        lines.append(
            f"| `{param_name}` | {item['type']} | {_code(item['default'])} | "
            f"{_bounds(spec, param_name)} | {_cell(item['help'])} |"
        )
    lines.append("")
    return "\n".join(lines)


def on_config(config: Any) -> Any:
    """Append `checks/<check>.md` for every registered check to the nav's "Checks" section."""
    for entry in config["nav"] or []:
        if isinstance(entry, dict) and "Checks" in entry:
            listed = {item if isinstance(item, str) else next(iter(item.values())) for item in entry["Checks"]}
            entry["Checks"] += [
                {name: f"checks/{name}.md"} for name in check_names() if f"checks/{name}.md" not in listed
            ]
            return config
    raise PluginError("mkdocs.yml: the nav needs a 'Checks' section for the check pages")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    return MARKER.sub(lambda match: spec_tables(match.group("name")), markdown)
