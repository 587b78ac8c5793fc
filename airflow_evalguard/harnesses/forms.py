"""The shape of a harness-log input, checked without reading anything (standard library only).

    {"inspect_log": URI, "scorer": NAME?, "epoch": N?, "errored": "keep"|"drop"?, "columns": {...}?, ...}
    {"lm_eval_samples": URI | [URI, ...], "results": URI, "task": NAME?, "filter": NAME?, ...}
    {"promptfoo_results": URI, "provider": LABEL_OR_ID?, ...}
    any of them with "preset": CHECK (that check's mapping of the harness, `harnesses.presets`)

`columns` maps a column the check reads to a column of the harness table
(``{"prompt_id": "id"}``); `values` recodes a column's values after the mapping
(``{"expected": {"unsafe": "refuse", "safe": "comply"}}``). Operators call `check_harness_form`
when a DAG file is parsed (a value Airflow fills in at run time is skipped there) and the CLI
when it parses ``--input``; the reader calls it again before reading.
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.harnesses.presets import check_preset, merged_mappings

# form key -> (other keys it requires, optional selectors it takes)
FORMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "inspect_log": ((), ("scorer", "epoch", "errored")),
    "lm_eval_samples": (("results",), ("task", "filter")),
    "promptfoo_results": ((), ("provider", "errored")),
}
MAPPINGS = ("columns", "values")
PRESET = "preset"  # a check's name: that check's mapping of this harness (`harnesses.presets`)


def harness_form(value: Any) -> str | None:
    """The harness form a value names ("inspect_log", ...), or None when it names none."""
    if not isinstance(value, dict):
        return None
    named = [key for key in FORMS if key in value]
    return named[0] if len(named) == 1 else ("several" if named else None)


def is_harness_input(value: Any) -> bool:
    return harness_form(value) is not None


def _uri_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, str) and item for item in value)


def _check_uri(name: str, key: str, value: Any, *, many: bool) -> None:
    if isinstance(value, str) and value.strip():
        return
    if many and _uri_list(value):
        return
    wanted = "a path or s3:// URI" + (" (or a list of them)" if many else "")
    raise EvalGuardInputError(f"input '{name}': '{key}' must be {wanted}, got {value!r:.80}", input_name=name)


def _check_mapping(name: str, key: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise EvalGuardInputError(f"input '{name}': '{key}' must be a JSON object", input_name=name)
    for target, source in value.items():
        ok = isinstance(source, str) if key == "columns" else isinstance(source, dict)
        if not isinstance(target, str) or not ok:
            wanted = "column -> harness column (text)" if key == "columns" else "column -> {value: new value}"
            raise EvalGuardInputError(
                f"input '{name}': '{key}' maps {wanted}; entry {target!r:.40} is {source!r:.60}", input_name=name
            )


def check_harness_form(name: str, spec: dict[str, Any]) -> str:
    """Refuse a malformed harness input with one line naming what is wrong; return its form."""
    form = harness_form(spec)
    if form is None or form == "several":
        raise EvalGuardInputError(
            f"input '{name}': name exactly one harness log, one of {sorted(FORMS)}; got keys {sorted(spec)}",
            input_name=name,
        )
    required, selectors = FORMS[form]
    allowed = {form, *required, *selectors, *MAPPINGS, PRESET}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise EvalGuardInputError(
            f"input '{name}': unknown key(s) {unknown} for a {form} input; it takes {sorted(allowed)}", input_name=name
        )
    missing = [key for key in required if key not in spec]
    if missing:
        raise EvalGuardInputError(f"input '{name}': a {form} input needs {missing}", input_name=name)
    _check_uri(name, form, spec[form], many=form == "lm_eval_samples")
    for key in required:
        _check_uri(name, key, spec[key], many=False)
    if "epoch" in spec and not (type(spec["epoch"]) is int and spec["epoch"] >= 1):
        raise EvalGuardInputError(f"input '{name}': 'epoch' must be a whole number >= 1", input_name=name)
    if spec.get("errored", "keep") not in ("keep", "drop"):
        raise EvalGuardInputError(f"input '{name}': 'errored' must be \"keep\" or \"drop\"", input_name=name)
    for key in selectors:
        if key != "epoch" and key in spec and not (isinstance(spec[key], str) and spec[key]):
            raise EvalGuardInputError(f"input '{name}': '{key}' must be a non-empty name", input_name=name)
    for key in MAPPINGS:
        if key in spec:
            _check_mapping(name, key, spec[key])
    columns = spec.get("columns") or {}
    if PRESET in spec:
        columns = merged_mappings(check_preset(name, form, spec), spec)["columns"]
    check_one_to_one(name, columns)
    return form


def check_one_to_one(name: str, columns: dict[str, str]) -> None:
    """One harness column feeds one check column, and a check column is fed by one harness column.

    One column read as two (`prompt_id` and `category` both from `id`) would pass as two
    measurements; a mapping onto a name another entry reads from (`{"a": "b", "b": "c"}`) leaves
    two columns competing for `b`."""
    fed: dict[str, list[str]] = {}
    for target, source in columns.items():
        fed.setdefault(source, []).append(target)
    for source, targets in sorted(fed.items()):
        if len(targets) > 1:
            raise EvalGuardInputError(
                f"input '{name}': 'columns' maps harness column '{source}' onto {sorted(targets)}; "
                "each harness column may feed one check column",
                input_name=name,
                column=source,
            )
    chained = sorted(target for target, source in columns.items() if target in fed and target != source)
    if chained:
        raise EvalGuardInputError(
            f"input '{name}': 'columns' maps onto {chained}, which another entry reads from; "
            "two columns would be read as one: rename one of them",
            input_name=name,
            column=chained[0],
        )


def harness_paths(spec: dict[str, Any]) -> list[str]:
    """Every file a harness input reads (the CLI keeps --out from overwriting them)."""
    form = harness_form(spec)
    if form is None or form == "several":
        return []
    paths: list[str] = []
    for key in (form, *FORMS[form][0]):
        value = spec.get(key)
        paths += [value] if isinstance(value, str) else [v for v in value or [] if isinstance(v, str)]
    return paths


def refuse_other_checks_preset(name: str, spec: dict[str, Any], check: str | None) -> None:
    """A preset is one check's mapping: given to another check's input, it is refused."""
    preset = spec.get(PRESET)
    if check is not None and preset is not None and preset != check:
        raise EvalGuardInputError(
            f"input '{name}': preset '{preset}' maps the log for {preset}, but this is an input of {check}",
            input_name=name,
        )
