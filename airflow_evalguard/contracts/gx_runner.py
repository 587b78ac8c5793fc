"""Validate a DataFrame against compiled expectations with an ephemeral GX context.

Ephemeral: nothing is written to the working directory, and analytics stay off. Regex
expectations run in RE2 (contracts.regex), never in Python's backtracking `re`. One expectation
that cannot run (a column missing, a type GX cannot compare) is reported as failed with its
error, never dropped.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field

import pandas as pd

from airflow_evalguard.contracts.compile import ExpectationSpec, build_expectation
from airflow_evalguard.contracts.re2_rows import evaluated_in_re2

log = logging.getLogger(__name__)


@dataclass
class ExpectationOutcome:
    spec: ExpectationSpec
    success: bool
    element_count: int | None
    unexpected_count: int | None
    unexpected_index: list = field(default_factory=list)
    observed: object = None
    error: str | None = None


def _gx_ready_frame(frame):
    """pandas 3 `str` and categorical columns -> object: GX 1.x compares type names value by value
    on object columns but recognises neither the new string dtype nor categoricals (which is how
    our parquet reader returns strings)."""
    converted = {
        c: frame[c].astype(object)
        for c in frame.columns
        if isinstance(frame[c].dtype, (pd.StringDtype, pd.CategoricalDtype))
    }
    if not converted:
        return frame
    out = frame.copy()
    for c, col in converted.items():
        out[c] = col.where(col.notna(), None)
    return out


def validate_frame(frame, specs: list[ExpectationSpec], suite_name: str) -> tuple[list[ExpectationOutcome], float]:
    """Outcomes in the order of `specs`, and the seconds GX took (context, suite and validation)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    t0 = time.perf_counter()
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    try:
        context.variables.progress_bars = {"globally": False}  # type: ignore[assignment]  # GX accepts the dict
    except Exception:  # progress bars are cosmetic; an older GX without the setting still validates
        log.debug("could not turn off GX progress bars", exc_info=True)
    batch = (
        context.data_sources.add_pandas("evalguard")
        .add_dataframe_asset("records")
        .add_batch_definition_whole_dataframe("all_rows")
    )
    # Regex expectations are evaluated in RE2 here; GX would run them with Python's `re`.
    frame, runnable = evaluated_in_re2(_gx_ready_frame(frame), specs)
    suite = gx.ExpectationSuite(name=suite_name)
    for i, spec in enumerate(runnable):
        suite.add_expectation(build_expectation(spec, i))
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(gx.ValidationDefinition(name="evalguard", data=batch, suite=suite))
    result = definition.run(batch_parameters={"dataframe": frame}, result_format={"result_format": "COMPLETE"})
    outcomes: list[ExpectationOutcome | None] = [None] * len(specs)
    for res in result.results:
        index = int(res.expectation_config.meta["index"])  # type: ignore[union-attr]  # set for every result
        info = res.exception_info or {}
        error = info.get("exception_message") if info.get("raised_exception") else None
        body = res.result or {}
        outcomes[index] = ExpectationOutcome(
            spec=specs[index],
            success=bool(res.success) and error is None,
            element_count=body.get("element_count"),
            unexpected_count=body.get("unexpected_count"),
            unexpected_index=list(body.get("unexpected_index_list") or []),
            observed=body.get("observed_value"),
            error=error,
        )
    seconds = time.perf_counter() - t0
    log.info("Great Expectations validated %d rows against %d expectations in %.2f s", len(frame), len(specs), seconds)
    return [o for o in outcomes if o is not None], seconds
