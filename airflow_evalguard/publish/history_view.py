"""A page of history seen per gate: its runs oldest to newest, and which findings are new.

A finding is new in a run when the gate's previous run in the index (the newest older run that
has a record for the same gate and map index) did not report its code. The oldest run of a page
is compared with the run just before the page; a gate's first run ever marks nothing new (there
is nothing to be new against).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from airflow_evalguard.publish.history import HistoryPage, RunHistory
from airflow_evalguard.store.layout import gate_label

BLOCKING = ("FAIL", "INCONCLUSIVE")  # the verdicts that fail a gate under the default outcomes


@dataclass(frozen=True)
class GatePoint:
    run: RunHistory
    record: dict[str, Any]
    new_findings: tuple[str, ...]

    @property
    def blocked(self) -> bool:
        return self.record["verdict"] in BLOCKING


@dataclass
class GateSeries:
    dag_id: str
    task_id: str
    map_index: int
    check: str
    points: list[GatePoint] = field(default_factory=list)  # oldest first

    @property
    def label(self) -> str:
        return gate_label(self.task_id, self.map_index)


def new_codes(record: dict[str, Any], previous: dict[str, Any] | None) -> tuple[str, ...]:
    if previous is None:
        return ()
    before = set(previous["findings"])
    return tuple(code for code in record["findings"] if code not in before)


def gate_series(page: HistoryPage) -> list[GateSeries]:
    """One series per (DAG, gate, map index) on the page, sorted by DAG and gate."""
    series: dict[tuple[str, str, int], GateSeries] = {}
    last: dict[tuple[str, str, int], dict[str, Any]] = {}
    for dag_id, earlier in page.earlier.items():
        for (task_id, map_index), record in earlier.gates.items():
            last[(dag_id, task_id, map_index)] = record
    for run in reversed(page.runs):  # oldest first
        for (task_id, map_index), record in sorted(run.gates.items()):
            slot = (run.dag_id, task_id, map_index)
            line = series.setdefault(slot, GateSeries(run.dag_id, task_id, map_index, record["check"]))
            line.points.append(GatePoint(run, record, new_codes(record, last.get(slot))))
            last[slot] = record
    return [series[slot] for slot in sorted(series)]


def table_rows(page: HistoryPage) -> list[dict[str, Any]]:
    """The page as one row per gate try shown, newest run first (the CLI's table and --json)."""
    news = {
        (p.run.dag_id, p.run.run_id, s.task_id, s.map_index): p.new_findings
        for s in gate_series(page)
        for p in s.points
    }
    rows = []
    for run in page.runs:
        for (task_id, map_index), record in sorted(run.gates.items()):
            new = news.get((run.dag_id, run.run_id, task_id, map_index), ())
            rows.append({**record, "label": gate_label(task_id, map_index), "new_findings": list(new)})
    return rows


def number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def metric_text(head: dict[str, Any] | None) -> str:
    """`drop 0.12 [0.05, 0.2]`, or `-` when the result has no headline metric."""
    if not head or head.get("value") is None:
        return "-"
    text = f"{head['name']} {number(head['value'])}"
    if head.get("ci_low") is not None and head.get("ci_high") is not None:
        text += f" [{number(head['ci_low'])}, {number(head['ci_high'])}]"
    return text
