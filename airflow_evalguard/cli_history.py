"""`evalguard history`: the gate history index in a terminal, and its rebuild.

    evalguard history ROOT [--dag D] [--gate G] [--check C] [--runs N] [--json]
    evalguard history rebuild ROOT

ROOT is the artifact root (a directory or s3://bucket/prefix). A corrupt index object is
skipped and counted on stderr, never a crash; stored results missing from the index (a failed
index write) are counted on stderr with the command that repairs it; `rebuild` writes the index
again from the stored results.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError


def add_history_parser(sub: Any) -> None:
    history = sub.add_parser(
        "history",
        help="print each gate's history from the index under an artifact root; "
        "`history rebuild ROOT` rebuilds the index from the stored results",
    )
    history.add_argument("words", nargs="+", metavar="ROOT | rebuild ROOT", help="artifact root (directory or s3://)")
    history.add_argument("--dag", help="only this DAG")
    history.add_argument("--gate", help="only this gate (task id)")
    history.add_argument("--check", help="only this check")
    history.add_argument("--runs", type=int, default=50, help="newest runs to show (default 50, at most 500)")
    history.add_argument("--json", action="store_true", help="one JSON object per gate try")
    history.add_argument("--aws-conn-id", default="aws_default", help="Airflow connection for s3:// roots")


def _print_table(rows: list[dict[str, Any]]) -> None:
    from airflow_evalguard.publish.history_view import metric_text  # the words the UI pages print

    header = ("finished (UTC)", "dag", "run", "gate", "try", "check", "verdict", "headline [95% CI]", "findings")
    lines = [header]
    for row in rows:
        codes = [c + (" (new)" if c in row["new_findings"] else "") for c in row["findings"]]
        at = row["at"]
        when = f"{at[0:4]}-{at[4:6]}-{at[6:8]} {at[9:11]}:{at[11:13]}:{at[13:15]}"
        lines.append(
            (when, row["dag_id"], row["run_id"], row["label"], str(row["try_number"]), row["check"])
            + (row["verdict"], metric_text(row.get("headline")), ", ".join(codes) or "-")
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())


def cmd_history(args: argparse.Namespace) -> int:
    from airflow_evalguard.publish.history import HistoryQuery, index_objects, read_page
    from airflow_evalguard.publish.history_lag import index_lag, lag_note
    from airflow_evalguard.publish.history_rebuild import rebuild_index
    from airflow_evalguard.publish.history_view import table_rows
    from airflow_evalguard.store import get_store

    words = args.words
    if words[0] == "rebuild" and len(words) == 2:
        report = rebuild_index(get_store(words[1], aws_conn_id=args.aws_conn_id))
        print(
            f"history rebuilt: {report.records} gate tries of {len(report.dags)} DAG(s) in "
            f"{report.segments} segment(s); {report.removed} old index object(s) removed"
        )
        for key in report.unreadable:
            print(f"skipped an unreadable result: {key}", file=sys.stderr)
        return 0
    if len(words) != 1:
        raise EvalGuardInputError("usage: evalguard history ROOT [...] or evalguard history rebuild ROOT")
    try:
        query = HistoryQuery(
            dag_ids=frozenset([args.dag]) if args.dag else None,
            task_id=args.gate,
            check=args.check,
            page_runs=args.runs,
        )
    except ValueError as exc:
        raise EvalGuardInputError(f"--runs: {exc}") from None
    store = get_store(words[0], aws_conn_id=args.aws_conn_id)
    page = read_page(store, query)
    rows = table_rows(page)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        _print_table(rows)
    if page.skipped:
        print(f"skipped {page.skipped} corrupt or foreign index record(s)", file=sys.stderr)
    # the DAG asked for, else the DAGs shown: a stored result the index misses is said, not hidden
    dags = [args.dag] if args.dag else sorted({run.dag_id for run in page.runs})
    note = lag_note([index_lag(store, dag, index_objects(store, frozenset([dag]))[0]) for dag in dags])
    if note:
        print(
            f"the history index lags behind the store: {note}; run `evalguard history rebuild {words[0]}`",
            file=sys.stderr,
        )
    return 0
