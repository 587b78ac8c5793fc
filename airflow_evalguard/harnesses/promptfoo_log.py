"""promptfoo `eval -o results.json` output -> one row per test case, prompt and provider.

Columns: eval_id, promptfoo_version, test_idx, prompt_idx, description, prompt (its label),
provider (the provider's label, else its id), provider_id, `vars.<name>` for each var, success,
score, `named_score.<metric>` for each named metric, grader_reason (the grading result's reason),
grader_results (JSON list of each assertion's type, metric, pass, score, reason), output,
latency_ms, prompt_tokens, completion_tokens, total_tokens, cost, failure (none | assert |
error) and error. Results format version 3 (promptfoo 0.x since 2024) is the one known.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from airflow_evalguard.harnesses.shared import cell, need, parse_json, refuse, refuse_duplicates

KNOWN_VERSIONS = (3,)
FAILURE = {0: "none", 1: "assert", 2: "error"}  # promptfoo's ResultFailureReason


def _grader_results(grading: dict[str, Any]) -> list[dict[str, Any]]:
    parts = []
    for component in grading.get("componentResults") or []:
        if isinstance(component, dict):
            assertion = component.get("assertion") or {}
            parts.append(
                {
                    "type": assertion.get("type"),
                    "metric": assertion.get("metric"),
                    "pass": component.get("pass"),
                    "score": component.get("score"),
                    "reason": component.get("reason"),
                }
            )
    return parts


def result_row(result: Any, run: dict[str, Any], where: str, input_name: str) -> dict[str, Any]:
    if not isinstance(result, dict):
        raise refuse(where, "holds a result that is not a JSON object", input_name)
    provider = need(result, "provider", where, input_name, "a result")
    provider = provider if isinstance(provider, dict) else {"id": provider}
    test = result.get("testCase") or {}
    grading = result.get("gradingResult") or {}
    usage = result.get("tokenUsage") or (result.get("response") or {}).get("tokenUsage") or {}
    output = (result.get("response") or {}).get("output")
    return {
        **run,
        "test_idx": need(result, "testIdx", where, input_name, "a result"),
        "prompt_idx": result.get("promptIdx"),
        "description": test.get("description"),
        "prompt": (result.get("prompt") or {}).get("label"),
        "provider": provider.get("label") or provider.get("id"),
        "provider_id": provider.get("id"),
        **{f"vars.{key}": cell(value) for key, value in (result.get("vars") or {}).items()},
        "success": need(result, "success", where, input_name, "a result"),
        "score": result.get("score"),
        **{f"named_score.{key}": value for key, value in (result.get("namedScores") or {}).items()},
        "grader_reason": grading.get("reason"),
        "grader_results": cell(_grader_results(grading)),
        "output": output if isinstance(output, str) or output is None else cell(output),
        "latency_ms": result.get("latencyMs"),
        "prompt_tokens": usage.get("prompt"),
        "completion_tokens": usage.get("completion"),
        "total_tokens": usage.get("total"),
        "cost": result.get("cost"),
        "failure": FAILURE.get(result.get("failureReason", 0), str(result.get("failureReason"))),
        "error": result.get("error"),
    }


def read_promptfoo(data: bytes, where: str, input_name: str, *, provider: str | None = None) -> pd.DataFrame:
    document = parse_json(data, where, input_name)
    body = need(document, "results", where, input_name, "a promptfoo output file")
    version = body.get("version") if isinstance(body, dict) else None
    if version not in KNOWN_VERSIONS:
        raise refuse(
            where,
            f"is promptfoo results format version {version!r}; this reader knows version(s) {list(KNOWN_VERSIONS)} "
            "(promptfoo 0.x `eval -o results.json`)",
            input_name,
        )
    run = {
        "eval_id": document.get("evalId"),
        "promptfoo_version": (document.get("metadata") or {}).get("promptfooVersion"),
    }
    results = need(body, "results", where, input_name, "the results object")
    if not isinstance(results, list):
        raise refuse(where, "has a 'results.results' field that is not a list", input_name)
    rows = [result_row(result, run, where, input_name) for result in results]
    if not rows:
        raise refuse(where, "holds no results", input_name)
    frame = pd.DataFrame(rows)
    if provider is not None:
        known = sorted(set(frame["provider"].dropna()) | set(frame["provider_id"].dropna()))
        frame = frame[(frame["provider"] == provider) | (frame["provider_id"] == provider)].reset_index(drop=True)
        if frame.empty:
            raise refuse(where, f"no results of provider {provider!r}; it has {known}", input_name)
    refuse_duplicates(frame, ["test_idx", "prompt_idx", "provider"], where, input_name, "two providers share a label?")
    frame.attrs.update(
        harness="promptfoo",
        eval_id=run["eval_id"],
        errored=int((frame["failure"] == "error").sum()),
    )
    return frame
