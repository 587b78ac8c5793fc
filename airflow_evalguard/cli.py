"""`evalguard`: run any check on files, without Airflow.

Exit codes: 0 PASS or WARN, 1 FAIL, 3 INCONCLUSIVE, 2 bad usage or bad input (one line, no
traceback, --out left as it was), 4 an environment error (S3 unreachable, disk full, ...).
A non-empty --out is refused unless --overwrite, which empties it only once the check has run and only
when it is an earlier EvalGuard output (out_dir.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from airflow_evalguard.cli_history import add_history_parser, cmd_history
from airflow_evalguard.cli_inputs import input_paths, input_value
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.params_file import DuplicateKeyError, load_params_file, parse_json, refuse_too_large_ints

EXIT_CODES = {"PASS": 0, "WARN": 0, "FAIL": 1, "INCONCLUSIVE": 3}
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 4


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 too, but with usage spam; keep it one line
        raise _UsageError(message)


def parse_value(text: str) -> Any:
    """JSON when it parses (numbers, lists, true/false/null), else the plain string. Duplicate keys
    raise DuplicateKeyError; integers too long to parse become TooLargeInt."""
    try:
        return parse_json(text)
    except json.JSONDecodeError:
        return text


def _param_values(items: list[str]) -> dict[str, Any]:
    params = {}
    for name, text in _pairs(items, "--param").items():
        try:
            params[name] = parse_value(text)
        except DuplicateKeyError as exc:
            raise _UsageError(f"--param {name}: duplicate key {exc.args[0]!r}") from None
        except RecursionError:
            raise _UsageError(f"--param {name}: nested too deeply") from None
    refuse_too_large_ints(params, "--param")
    return params


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise _UsageError(f"{what} must look like NAME=VALUE, got {item!r}")
        out[name] = value
    return out


def _settings_value(parser: str, flag: str) -> Any:
    """An argparse type from a settings parser (parse_byte_count, parse_row_count) naming `flag`."""

    def parse(text: str) -> int:
        from airflow_evalguard import settings

        try:
            return getattr(settings, parser)(text, flag)
        except EvalGuardInputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def _add_run(sub: Any) -> None:
    run = sub.add_parser("run", help="run one check on files and write result.json + evidence")
    run.add_argument("check")
    run.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help='local path or s3:// URI, or an aggregation spec in JSON: {"sql": "refusal_cells", '
        '"database": "evals.duckdb", ...} or {"stream": "counts", "path": ..., "columns": [...]}, or a harness '
        'log: {"inspect_log": ...}, {"lm_eval_samples": ..., "results": ...}, {"promptfoo_results": ...}',
    )
    run.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="value parsed as JSON if it parses"
    )
    run.add_argument("--params-file", help="JSON or YAML mapping of params (--param wins)")
    run.add_argument(
        "--out",
        required=True,
        help="directory for result.json, evidence.parquet, ...; must be empty or new unless --overwrite",
    )
    run.add_argument(
        "--overwrite",
        action="store_true",
        help="empty a non-empty --out (its contents only) before writing; only an earlier EvalGuard "
        "output (a result.json and the files a run writes), never through a symlink, never "
        "one holding a file this run reads (an input, the params file, a path a param names)",
    )
    run.add_argument(
        "--max-decompressed-bytes",
        type=_settings_value("parse_byte_count", "--max-decompressed-bytes"),
        default=None,
        metavar="BYTES",
        help="refuse a .gz input that expands beyond this (default: $EVALGUARD_MAX_DECOMPRESSED_BYTES, else 2 GiB)",
    )
    run.add_argument(
        "--auto-stream-rows",
        type=_settings_value("parse_row_count", "--auto-stream-rows"),
        default=None,
        metavar="ROWS",
        help="stream a parquet path input of more rows than this when its check takes aggregates "
        "(default: $EVALGUARD_AUTO_STREAM_ROWS, else 5000000; 0 streams every such input)",
    )
    run.add_argument(
        "--sql-external-access",
        action="store_true",
        help='let an embedded DuckDB in {"sql": ...} inputs read files and URLs named as tables '
        "(off: the spec may come from someone else)",
    )
    run.add_argument("--json", action="store_true", help="print the result JSON to stdout")
    run.add_argument("--aws-conn-id", default="aws_default", help="Airflow connection for s3:// inputs")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="evalguard", description="Eval-hygiene checks: is this evaluation trustworthy?")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    lst = sub.add_parser("list", help="checks, their inputs and params with defaults")
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    _add_run(sub)
    report = sub.add_parser(
        "report",
        help="render report.html from a stored result (a directory or URI); with "
        "--summary, a page listing every gate of one DAG run",
    )
    report.add_argument(
        "location", help="directory or s3:// prefix holding result.json (or, with --summary, a DAG run's directory)"
    )
    report.add_argument("--summary", action="store_true", help="render the run summary page of all gates below")
    report.add_argument("--out", help="where to write the HTML (default: report.html / summary.html in location)")
    report.add_argument("--aws-conn-id", default="aws_default", help="Airflow connection for s3:// locations")
    contract = sub.add_parser("contract", help="work with output contracts")
    contract_sub = contract.add_subparsers(dest="contract_command", required=True, parser_class=_Parser)
    validate = contract_sub.add_parser("validate", help="check a contract file (YAML or GX suite JSON) and compile it")
    validate.add_argument("file")
    validate.add_argument("--json", action="store_true", help="print the compiled Great Expectations suite as JSON")
    add_history_parser(sub)
    return parser


def _cmd_list(args) -> int:
    from airflow_evalguard.checks import check_names, get_check

    specs = [get_check(n).describe() for n in check_names()]
    if args.json:
        print(json.dumps(specs, indent=2))
        return 0
    for spec in specs:
        print(f"{spec['name']}: {spec['summary']}")
        for name, inp in spec["inputs"].items():
            print(f"  input {name}{'' if inp['required'] else ' (optional)'}: {inp['help']}")
        for name, par in spec["params"].items():
            print(f"  param {name} = {json.dumps(par['default'])} ({par['type']}): {par['help']}")
    return 0


def _decompressed_limit(args) -> int:
    """Flag, else environment, else the default; the CLI never loads Airflow's config (~2 s)."""
    from airflow_evalguard.settings import DEFAULT_MAX_DECOMPRESSED_BYTES, MAX_DECOMPRESSED_ENV, parse_byte_count

    if args.max_decompressed_bytes is not None:
        return args.max_decompressed_bytes
    from_env = os.environ.get(MAX_DECOMPRESSED_ENV)
    return parse_byte_count(from_env, MAX_DECOMPRESSED_ENV) if from_env else DEFAULT_MAX_DECOMPRESSED_BYTES


def _cmd_run(args) -> int:
    from airflow_evalguard.hooks.s3_reader import S3HookReader
    from airflow_evalguard.out_dir import check_out_dir, empty_out_dir
    from airflow_evalguard.publish.artifacts import publish_result
    from airflow_evalguard.registries import after_check, before_check
    from airflow_evalguard.run import run_check
    from airflow_evalguard.settings import auto_stream_rows_from_env, max_decompressed_bytes_set_to
    from airflow_evalguard.sources.auto_stream import stream_large_inputs
    from airflow_evalguard.sources.specs import resolve_inputs
    from airflow_evalguard.store import LocalStore, get_store
    from airflow_evalguard.store.layout import RunLayout

    params = load_params_file(args.params_file) if args.params_file else {}
    params.update(_param_values(args.param))
    inputs: dict[str, Any] = {name: input_value(name, v) for name, v in _pairs(args.input, "--input").items()}
    read_paths = [path for value in inputs.values() for path in input_paths(value)]
    read_paths += [args.params_file] if args.params_file else []
    out = check_out_dir(args.out, overwrite=args.overwrite, keep=read_paths, params=params)
    # s3:// inputs, streamed paths, contracts and registries go through --aws-conn-id (the hook is
    # built only when something on S3 is read).
    reader = S3HookReader(args.aws_conn_id)

    def open_store(uri: str) -> Any:
        return get_store(uri, aws_conn_id=args.aws_conn_id)

    with max_decompressed_bytes_set_to(_decompressed_limit(args)):
        # {"sql": ...} / {"stream": ...} run here
        inputs = resolve_inputs(inputs, reader, sql_external_access=args.sql_external_access)
        inputs = stream_large_inputs(
            args.check, inputs, params, reader, auto_stream_rows_from_env(args.auto_stream_rows)
        )
        extra = before_check(args.check, inputs, params, open_store)
        result = run_check(args.check, {**inputs, **extra}, params, reader=reader)
        after_check(args.check, params, result, open_store)
    if args.overwrite and out.is_dir():
        empty_out_dir(out)  # only now: a run refused above leaves --out as it was
    result = publish_result(LocalStore(out), RunLayout(""), result)
    if args.json:
        print(result.to_json())
    else:
        print(f"{result.verdict.value}: {result.summary}")
        print(f"result: {result.artifacts['result']}")
    return EXIT_CODES[result.verdict.value]


def _cmd_contract_validate(args) -> int:
    from airflow_evalguard.contracts.compile import compile_contract
    from airflow_evalguard.contracts.loader import load_contract
    from airflow_evalguard.hooks.s3_reader import S3HookReader

    contract = load_contract(args.file, reader=S3HookReader())  # an s3:// file: the aws_default connection
    specs = compile_contract(contract)
    if args.json:
        print(
            json.dumps(
                {
                    "name": contract.name,
                    "meta": {"version": contract.version},
                    "expectations": [
                        {"type": s.type, "kwargs": _plain_kwargs(s.kwargs), "meta": {**s.meta, "clause": s.clause}}
                        for s in specs
                    ],
                },
                indent=2,
            )
        )
        return 0
    behaviour = ", ".join(sorted(contract.behaviour)) or "none"
    print(
        f"OK: contract '{contract.name}' version {contract.version}: {len(contract.fields)} fields, "
        f"{len(contract.rules)} rules, {len(specs)} Great Expectations expectations; behavioural clauses: {behaviour}"
    )
    return 0


def _plain_kwargs(kwargs: dict) -> dict:
    """Row conditions are GX objects; print them as the dicts GX serialises them to."""
    return {k: v.dict() if hasattr(v, "dict") and not isinstance(v, dict) else v for k, v in kwargs.items()}


def _cmd_report(args) -> int:
    from airflow_evalguard.publish.summary import render_location

    written = render_location(args.location, summary=args.summary, out=args.out, aws_conn_id=args.aws_conn_id)
    print(f"report: {written}")
    return 0


COMMANDS = {"list": _cmd_list, "run": _cmd_run, "report": _cmd_report, "history": cmd_history}


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "contract":
            return _cmd_contract_validate(args)
        return COMMANDS[args.command](args)
    except (_UsageError, EvalGuardInputError) as exc:
        print(f"evalguard: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # infrastructure: say what broke in one line, distinct exit code
        print(f"evalguard: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ENVIRONMENT


def _one_line(exc: BaseException) -> str:
    """Messages from parsers (pandas, YAML) span lines; the CLI promises one."""
    return " ".join(str(exc).split())


if __name__ == "__main__":
    sys.exit(main())
