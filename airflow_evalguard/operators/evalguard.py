"""EvalGuardOperator: run any registered check, store its result, push it to XCom, then gate.

A thin shell: templating, connections, registries, XCom and retries come from Airflow; every
decision comes from `airflow_evalguard.run.run_check`, which is imported inside `execute()` so
DAG parsing never loads pandas or scipy. Literal check parameters are validated when the DAG file
is parsed, against the check's light spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.compat import AirflowFailException, BaseOperator, Context
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.gate import (
    DEFAULT_ON_FAIL,
    DEFAULT_ON_INCONCLUSIVE,
    DEFAULT_ON_WARN,
    apply_gate,
    validate_outcome,
)
from airflow_evalguard.links import EvalGuardReportLink
from airflow_evalguard.operators.literal_params import validate_literal_inputs, validate_literal_params


class EvalGuardOperator(BaseOperator):
    """Gate a model promotion on an EvalGuard check.

    :param check: registered check name (`evalguard list` shows them).
    :param inputs: input name -> local path, ``s3://`` URI, pandas DataFrame, or an aggregation
        spec run when the gate runs: ``{"sql": "<SqlSource method>", "conn_id": ..., **args}`` or
        ``{"stream": "<sources.stream function>", "path": ..., **args}``, or a harness log read when
        the gate runs: ``{"inspect_log": uri}``, ``{"lm_eval_samples": uri, "results": uri}``,
        ``{"promptfoo_results": uri}``, each with optional ``columns``/``values`` mappings
        (docs/inputs/harness-logs.md; the shape of a literal one is checked at parse time) (templated).
    :param check_params: the check's parameters (templated). Named ``check_params`` because
        ``params`` is Airflow's own DAG/task ``Params`` argument and is merged with the DAG's.
        Literal values (not Jinja templates) are validated when the DAG file is parsed.
    :param artifact_root: local directory or ``s3://bucket/prefix`` (templated); default
        ``[evalguard] artifact_root`` or ``$AIRFLOW_HOME/evalguard``.
    :param aws_conn_id: Airflow connection for ``s3://`` inputs and artifacts.
    :param on_fail: ``fail_no_retry`` (default) | ``fail`` | ``skip`` | ``warn``.
    :param on_warn: same choices; default ``warn`` (log and succeed).
    :param on_inconclusive: same choices; default ``fail_no_retry`` (fail closed).
    :param sql_external_access: let an embedded DuckDB spec read files and URLs named as tables
        and load extensions (default off). Not templated on purpose: specs are rendered from
        params and dag_run.conf, so only the DAG file may grant this.
    :param auto_stream_rows: a parquet path input of more rows than this is aggregated by streaming
        when the check takes aggregates (docs/decisions/automatic-streaming.md); default
        ``[evalguard] auto_stream_rows`` or 5,000,000; 0 streams every such input.
    """

    template_fields: Sequence[str] = ("inputs", "check_params", "artifact_root")
    template_fields_renderers = {"inputs": "json", "check_params": "json"}
    ui_color = "#fde8c8"
    operator_extra_links = (EvalGuardReportLink(),)

    def __init__(
        self,
        *,
        check: str,
        inputs: dict[str, Any],
        check_params: dict[str, Any] | None = None,
        artifact_root: str | None = None,
        aws_conn_id: str | None = "aws_default",
        on_fail: str = DEFAULT_ON_FAIL,
        on_warn: str = DEFAULT_ON_WARN,
        on_inconclusive: str = DEFAULT_ON_INCONCLUSIVE,
        sql_external_access: bool = False,
        auto_stream_rows: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.inputs = dict(inputs)
        self.check_params = dict(check_params or {})
        self.artifact_root = artifact_root
        self.aws_conn_id = aws_conn_id
        self.on_fail = validate_outcome("on_fail", on_fail)
        self.on_warn = validate_outcome("on_warn", on_warn)
        self.on_inconclusive = validate_outcome("on_inconclusive", on_inconclusive)
        if not isinstance(sql_external_access, bool):  # a string such as "false" would be truthy
            raise ValueError(f"sql_external_access must be True or False, not {sql_external_access!r}")
        self.sql_external_access = sql_external_access
        if auto_stream_rows is not None and (type(auto_stream_rows) is not int or auto_stream_rows < 0):
            raise ValueError(f"auto_stream_rows must be a whole number >= 0 or None, not {auto_stream_rows!r}")
        self.auto_stream_rows = auto_stream_rows
        try:
            validate_literal_params(check, self.check_params)
            validate_literal_inputs(self.inputs, check)
        except EvalGuardInputError as exc:
            raise EvalGuardInputError(f"EvalGuard task '{self.task_id}': {exc}") from None
        self._evalguard_result: dict[str, Any] | None = None  # the XCom copy, for lineage after execute

    def execute(self, context: Context) -> None:
        # pandas, scipy and the check itself load here, in the worker, never when the DAG is parsed
        from airflow_evalguard.hooks.s3_reader import S3HookReader
        from airflow_evalguard.publish.artifacts import publish_result
        from airflow_evalguard.registries import after_check, before_check
        from airflow_evalguard.run import run_check
        from airflow_evalguard.settings import auto_stream_rows, default_artifact_root
        from airflow_evalguard.sources.auto_stream import stream_large_inputs
        from airflow_evalguard.sources.specs import resolve_inputs
        from airflow_evalguard.store import RunLayout, get_store

        self.log.info("EvalGuard check %s on inputs %s", self.check, self._input_names())

        def open_store(root: str) -> Any:
            return get_store(root, aws_conn_id=self.aws_conn_id)

        reader = S3HookReader(self.aws_conn_id)  # the check reads through it; it never sees the connection
        try:
            # aggregations run here, never at parse time
            inputs = resolve_inputs(self.inputs, reader, sql_external_access=self.sql_external_access)
            threshold = self.auto_stream_rows if self.auto_stream_rows is not None else auto_stream_rows()
            inputs = stream_large_inputs(self.check, inputs, self.check_params, reader, threshold)
            extra = before_check(self.check, inputs, self.check_params, open_store)
            result = run_check(self.check, {**inputs, **extra}, self.check_params, reader=reader)
            after_check(self.check, self.check_params, result, open_store)
        except EvalGuardInputError as exc:
            # Bad input never improves on retry, and no result or artifact is written for it.
            raise AirflowFailException(f"EvalGuard input error in check '{self.check}': {exc}") from exc

        ti = context["ti"]
        layout = RunLayout.of_gate(ti.dag_id, ti.run_id, ti.task_id, getattr(ti, "map_index", -1), ti.try_number)
        # Store and push before gating: the evidence must survive whatever the gate raises.
        result = publish_result(open_store(self.artifact_root or default_artifact_root()), layout, result)
        summary = result.xcom_summary()
        self._evalguard_result = summary
        if self.do_xcom_push:
            ti.xcom_push(key="return_value", value=summary)
        self._annotate_outlets(context, summary)
        for finding in result.findings:
            self.log.info("EvalGuard finding [%s] %s: %s", finding.severity, finding.code, finding.message)
        self.log.info(
            "EvalGuard %s verdict=%s duration=%.2fs result=%s",
            self.check,
            result.verdict.value,
            result.duration_s,
            result.artifacts.get("result"),
        )
        apply_gate(
            result.verdict,
            result.summary,
            on_fail=self.on_fail,
            on_warn=self.on_warn,
            on_inconclusive=self.on_inconclusive,
            log=self.log,
            result=summary,
        )

    def _annotate_outlets(self, context: Context, summary: dict) -> None:
        """Asset events carry the verdict. Events are emitted only when the task succeeds, so with
        the default on_fail a FAIL never emits one; with on_fail="warn" a consumer reads extra."""
        if not self.outlets:
            return
        from airflow_evalguard.lineage import asset_extra

        extra = asset_extra(summary)
        for outlet in self.outlets:
            try:
                context["outlet_events"][outlet].extra = extra
            except (KeyError, TypeError, AttributeError):
                self.log.warning("EvalGuard: outlet %r takes no event extra", outlet)

    def get_openlineage_facets_on_complete(self, task_instance):
        from airflow_evalguard.lineage import operator_lineage

        return operator_lineage(self._evalguard_result)

    def get_openlineage_facets_on_failure(self, task_instance):
        from airflow_evalguard.lineage import operator_lineage

        return operator_lineage(self._evalguard_result)

    def _input_names(self) -> dict[str, str]:
        from airflow_evalguard.harnesses.forms import harness_form, harness_paths
        from airflow_evalguard.sources.specs import is_spec

        def describe(v):
            if isinstance(v, str):
                return v
            if harness_form(v) not in (None, "several"):
                return f"{harness_form(v)}({', '.join(harness_paths(v))})"
            if is_spec(v):
                return f"sql:{v['sql']}" if "sql" in v else f"stream:{v['stream']}({v.get('path')})"
            if isinstance(v, dict) and isinstance(v.get("path"), str):
                return v["path"]  # a table under a `columns` mapping
            return type(v).__name__

        return {k: describe(v) for k, v in self.inputs.items()}
