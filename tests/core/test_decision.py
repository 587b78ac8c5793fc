"""A Decision carries what the composer decided, with the check's own words and method."""

from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict


def test_from_composed_keeps_everything():
    composed = compose(
        [Part(metrics={"m": Metric(1.0)}, findings=(Finding("warn", "X", "x"),), validity=(Verdict.WARN,))], alpha=0.05
    )
    decision = Decision.from_composed(composed, "words", method={"test": "exact"})
    assert decision.verdict is Verdict.WARN
    assert decision.summary == "words"
    assert decision.metrics["m"].value == 1.0
    assert decision.findings[0].code == "X"
    assert decision.method == {"test": "exact"}
