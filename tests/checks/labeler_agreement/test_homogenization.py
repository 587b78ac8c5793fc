"""labeler_agreement.homogenization: the gated effect compose judges gives, for every combination of
the three trends, the verdict the intersection-union rule gives when written out by hand."""

import itertools

import numpy as np

from airflow_evalguard.checks.labeler_agreement.homogenization import effect, part
from airflow_evalguard.core.compose import compose
from airflow_evalguard.stats.trend import Trend
from airflow_evalguard.verdicts import Verdict

PARAMS = {"warn_at": 0.05, "fail_at": 0.10, "alpha": 0.05}
# (change, ci_low, ci_high): rising, falling, flat, flat but wide, undefined
SHAPES = {
    "up_big": (0.15, 0.12, 0.18),
    "up_small": (0.07, 0.06, 0.08),
    "up_tiny": (0.03, 0.01, 0.05),
    "down": (-0.1, -0.15, -0.05),
    "flat": (0.0, -0.02, 0.02),
    "wide": (0.05, -0.05, 0.2),
    "flat_nonneg": (0.02, 0.0, 0.04),
    "nan": (np.nan, np.nan, np.nan),
}


def trend(shape):
    change, low, high = SHAPES[shape]
    return Trend(change, low, high, 0.5, 0.5 + change if np.isfinite(change) else np.nan, 4)


def by_hand(alpha, spread, gold):
    """The rule as labeler_agreement has always written it."""
    gold_not_up = gold is None or not gold.rising
    if alpha.rising and spread.falling and gold_not_up:
        return Verdict.FAIL if alpha.change >= 0.10 else Verdict.WARN if alpha.change >= 0.05 else Verdict.PASS
    if (
        np.isfinite(alpha.ci_high)
        and alpha.ci_high >= 0.10
        and not (np.isfinite(spread.ci_low) and spread.ci_low >= 0)
        and gold_not_up
    ):
        return Verdict.INCONCLUSIVE
    return Verdict.PASS


def test_compose_gives_the_intersection_union_verdict():
    """Every combination of alpha, discrimination and gold trend shapes (576 in all)."""
    wrong = []
    for alpha, spread, gold in itertools.product(SHAPES, SHAPES, [None, *SHAPES]):
        found = {"alpha": trend(alpha), "discrimination": trend(spread)}
        if gold is not None:
            found["gold_accuracy"] = trend(gold)
        composed = compose([part(found, PARAMS, lambda verdict: verdict.value, "moved")], alpha=0.05)
        expected = by_hand(found["alpha"], found["discrimination"], found.get("gold_accuracy"))
        if composed.verdict is not expected:
            wrong.append((alpha, spread, gold, composed.verdict, expected))
    assert wrong == []


def test_unsettled_finding_is_insufficient_items_and_no_p_value_enters_holm():
    found = {"alpha": trend("wide"), "discrimination": trend("wide")}
    gate = effect(found, PARAMS, lambda verdict: "words")
    assert gate.p_value is None and gate.ci_low is None
    composed = compose([part(found, PARAMS, lambda verdict: "words", "moved")], alpha=0.05)
    assert [(f.severity, f.code) for f in composed.findings] == [("warn", "INSUFFICIENT_ITEMS")]


def test_agreement_with_accuracy_is_a_note_and_the_metrics_are_the_trends():
    found = {"alpha": trend("up_big"), "discrimination": trend("down"), "gold_accuracy": trend("up_small")}
    result = part(found, PARAMS, lambda verdict: "words", "moved")
    assert [f.code for f in result.findings] == ["AGREEMENT_WITH_ACCURACY"]
    assert list(result.metrics)[:3] == ["trend.alpha", "alpha.first", "alpha.last"]
    assert result.metrics["trend.alpha"].value == 0.15 and result.metrics["trend.alpha"].n == 4
