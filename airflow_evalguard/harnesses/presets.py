"""Per-check presets: a harness's rows mapped onto one check's inputs, as data (standard library only).

    {"inspect_log": "s3://evals/base.eval", "scorer": "model_graded_qa", "preset": "refusal_regression"}

A preset is named for the check it feeds. Each (harness form, check) pair is one small table:
which of the check's inputs it can fill, the `columns` and `values` it adds (the input's own
`columns`/`values` are applied over them, so a user can correct any one entry), the selectors the
input must name (an Inspect log has one score column per scorer: `scorer` says which one), and
columns computed from a harness column (`DERIVED`, done by `harnesses.preset_rows`). Where a
harness does not record what a check needs, `LACKS` says which field, and the preset is refused
with that sentence when a DAG file is parsed (`check_preset`, called by `forms.check_harness_form`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError

# Inspect's own value_to_float for its standard grades (CORRECT, PARTIAL, INCORRECT, NOANSWER).
INSPECT_GRADES = {"C": 1.0, "P": 0.5, "I": 0.0, "N": 0.0}
XSTEST_EXPECTED = {"safe": "comply", "unsafe": "refuse"}  # XSTest's sample label -> refusal_regression's


@dataclass(frozen=True)
class Preset:
    feeds: tuple[str, ...]  # the check's inputs this preset can fill
    columns: dict[str, str] = field(default_factory=dict)  # check column -> harness column
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # check column -> {harness value: value}
    needs: tuple[str, ...] = ()  # selectors the input must name
    derived: dict[str, str] = field(default_factory=dict)  # check column -> a name in DERIVED
    why: dict[str, str] = field(default_factory=dict)  # harness column -> what it is (for errors)
    numeric: tuple[str, ...] = ()  # check columns whose values must be numbers after `values`
    single: tuple[str, ...] = ()  # harness columns (= selectors) that must hold one value: ids repeat per value


# Columns computed from the harness table (preset_rows does them), with what each reads.
DERIVED = {
    "seconds_to_ms": ("total_time", "the sample's total time in seconds, times 1000"),
    "task_doc_id": ("doc_id", "'<task>/<doc_id>': lm-eval numbers docs per task"),
    "only_metric": ("metric.*", "the one per-doc metric the samples hold"),
    "tool_calls": ("tool_calls", "one row per tool call: id, epoch, model, tool, and each argument"),
}

PRESETS: dict[tuple[str, str], Preset] = {
    ("inspect_log", "refusal_regression"): Preset(
        feeds=("baseline", "candidate"),
        columns={"prompt_id": "id", "category": "metadata.type", "expected": "metadata.label", "label": "score"},
        values={"expected": XSTEST_EXPECTED},
        needs=("scorer",),
        why={"metadata.label": "XSTest's safe/unsafe sample label", "metadata.type": "XSTest's prompt type"},
    ),
    ("inspect_log", "slice_retention"): Preset(
        feeds=("teacher", "student"),
        columns={"example_id": "id", "correct": "score"},
        values={"correct": INSPECT_GRADES},
        needs=("scorer",),
        numeric=("correct",),
    ),
    ("lm_eval_samples", "slice_retention"): Preset(
        feeds=("teacher", "student"),
        derived={"example_id": "task_doc_id", "correct": "only_metric"},
    ),
    ("promptfoo_results", "slice_retention"): Preset(
        feeds=("teacher", "student"),
        columns={"example_id": "test_idx", "correct": "success"},
        values={"correct": {"True": 1, "False": 0}},
        single=("provider",),
    ),
    ("inspect_log", "judge_drift"): Preset(
        feeds=("scores",),
        columns={"item_id": "id", "judge_model": "grader_model", "score": "score"},
        values={"score": INSPECT_GRADES},
        needs=("scorer",),
        why={"grader_model": "the grader model a model-graded scorer records"},
        numeric=("score",),
    ),
    ("inspect_log", "latency_tail"): Preset(
        feeds=("requests",),
        columns={"ts": "started_at", "model": "model"},
        derived={"latency_ms": "seconds_to_ms"},
        why={"started_at": "the sample's start time (Inspect logs before 0.3.60 lack it)"},
    ),
    ("inspect_log", "output_contract"): Preset(feeds=("records", "baseline"), derived={"": "tool_calls"}),
}

# (form, check) -> the field the harness does not record, and what the check needs it for.
LACKS: dict[tuple[str, str], str] = {
    ("lm_eval_samples", "refusal_regression"): "lm-eval samples record per-doc metrics, not a refusal label "
    "('label') or the expected behaviour ('expected')",
    ("promptfoo_results", "refusal_regression"): "promptfoo results record pass/fail and scores, not a refusal "
    "label ('label') or the expected behaviour ('expected')",
    ("lm_eval_samples", "judge_drift"): "lm-eval samples record no grader model ('judge_model'), which "
    "judge_drift's pin check needs",
    ("promptfoo_results", "judge_drift"): "promptfoo results record no grader model per result ('judge_model'), "
    "which judge_drift's pin check needs",
    ("lm_eval_samples", "latency_tail"): "lm-eval samples record no timing ('ts', 'latency_ms')",
    ("promptfoo_results", "latency_tail"): "promptfoo results record latencyMs but no per-result timestamp "
    "('ts'), which latency_tail needs",
    ("lm_eval_samples", "output_contract"): "lm-eval samples record no tool calls",
    ("promptfoo_results", "output_contract"): "promptfoo results record the output text, not tool calls",
}
CHECKS = sorted({check for _, check in PRESETS} | {check for _, check in LACKS})


def check_preset(input_name: str, form: str, spec: dict[str, Any]) -> Preset:
    """The preset `spec["preset"]` names for this harness form, or an input error saying why not."""
    name = spec["preset"]
    if not isinstance(name, str) or name not in CHECKS:
        raise EvalGuardInputError(f"input '{input_name}': 'preset' must be one of {CHECKS}, got {name!r:.60}")
    if (form, name) in LACKS:
        raise EvalGuardInputError(
            f"input '{input_name}': no {name} preset for a {form} input: {LACKS[(form, name)]}; "
            "map the columns yourself with 'columns' if another field holds it",
            input_name=input_name,
        )
    preset = PRESETS.get((form, name))
    if preset is None:
        harnesses = sorted(f for f, check in PRESETS if check == name)
        raise EvalGuardInputError(
            f"input '{input_name}': the {name} preset reads {harnesses}, not a {form} input", input_name=input_name
        )
    if input_name not in preset.feeds:
        raise EvalGuardInputError(
            f"input '{input_name}': the {name} preset fills input(s) {list(preset.feeds)} of {name}, "
            f"not '{input_name}'",
            input_name=input_name,
        )
    missing = [selector for selector in preset.needs if selector not in spec]
    if missing:
        raise EvalGuardInputError(
            f"input '{input_name}': the {name} preset needs {missing} beside it "
            '(e.g. "scorer": NAME, the scorer whose values it reads)',
            input_name=input_name,
        )
    return preset


def merged_mappings(preset: Preset, spec: dict[str, Any]) -> dict[str, Any]:
    """`columns` and `values` of the preset with the input's own entries over them (theirs win).

    A check column the input maps itself is no longer the preset's to fill or derive."""
    own_columns = dict(spec.get("columns") or {})
    columns = {target: source for target, source in preset.columns.items() if target not in own_columns}
    values = {target: table for target, table in preset.values.items() if target not in own_columns}
    return {"columns": {**columns, **own_columns}, "values": {**values, **(spec.get("values") or {})}}
