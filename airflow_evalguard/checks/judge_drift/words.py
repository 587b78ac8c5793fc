"""judge_drift's summary sentence and the wording of its unsettled judge slices."""

from __future__ import annotations

from collections.abc import Sequence

from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict


def underpowered(judges: list[str]) -> str:
    """The UNDERPOWERED_SLICE finding: judge snapshots whose human-agreement gates cannot be settled."""
    return f"{len(judges)} judge(s) with too few items to settle: {', '.join(judges)}"


def summary(verdict: Verdict, headline: Sequence[str], findings: Sequence[Finding]) -> str:
    if verdict is Verdict.PASS:
        notes = "; ".join(f.message for f in findings if f.severity == "info")[:300]
        return "The judge held still: " + (notes or "every part passed") + "."
    if verdict is Verdict.INCONCLUSIVE and not headline:
        unsettled = [f.message for f in findings if f.code.endswith("_UNSETTLED")]
        return "The judge's stability cannot be settled: " + (unsettled[0] if unsettled else "see findings") + "."
    lead = headline[0] if headline else next((f.message for f in findings if f.severity != "info"), "see findings")
    tail = " Do not read this eval's scores until the judge is re-pinned." if verdict is Verdict.FAIL else ""
    return f"{lead}.{tail}"
