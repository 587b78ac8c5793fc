"""latency_tail's sentences: the summary and the note on quantiles reported without an interval."""

from __future__ import annotations

from collections.abc import Sequence

from airflow_evalguard.core.compose import Judged
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict

SHOWN = 3  # decisions named in the summary
UNBOUNDED_SHOWN = 8


def _message(item: Judged) -> str:
    return item.member.describe(item.verdict)


def summary(verdict: Verdict, decisions: Sequence[Judged], n_groups: int, n_requests: int) -> str:
    bad = sorted((d for d in decisions if d.verdict in (Verdict.FAIL, Verdict.WARN)), key=lambda d: -d.verdict.rank)
    if bad:
        more = f"; and {len(bad) - SHOWN} more" if len(bad) > SHOWN else ""
        return f"Tail latency {verdict.value}: " + "; ".join(_message(d) for d in bad[:SHOWN]) + more + "."
    if verdict is Verdict.INCONCLUSIVE:
        short = [d for d in decisions if d.verdict is Verdict.INCONCLUSIVE]
        return (
            f"Tail latency cannot be judged: {len(short)} decision(s) cannot be settled yet, e.g. {_message(short[0])}."
        )
    what = sorted({d.member.code.lower().replace("_", " ") for d in decisions}) or ["no decision configured"]
    return f"Tail latency holds over {n_requests:,} requests in {n_groups} endpoint/class group(s) ({', '.join(what)})."


def unbounded(group_metrics: dict[str, dict[str, Metric]], reported: set[str], decided: set[str]) -> list[Finding]:
    """QUANTILE_CI_UNBOUNDED: reported quantiles too few requests can bound (a decided group's p99
    is left out: its decision says so itself)."""
    names = [
        f"{label} {name}"
        for label, metrics in group_metrics.items()
        for name, metric in metrics.items()
        if name in reported
        and (metric.ci_low is None or metric.ci_high is None)
        and not (label in decided and name == "p99")
    ]
    if not names:
        return []
    return [
        Finding(
            "info",
            "QUANTILE_CI_UNBOUNDED",
            f"{len(names)} quantile(s) have too few requests for a two-sided interval and are "
            f"reported without one (no decision uses them): {', '.join(names[:UNBOUNDED_SHOWN])}"
            + (" ..." if len(names) > UNBOUNDED_SHOWN else ""),
        )
    ]
