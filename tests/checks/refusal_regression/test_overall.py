"""refusal_regression.overall: the two outcomes over all prompts, Holm across the two (statsmodels)."""

import pytest
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests

from airflow_evalguard.checks.refusal_regression import outcomes, overall, read
from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.verdicts import Verdict
from tests.checks.refusal_regression.helpers import params, sides, tables
from tests.stats import mcnemar_oracle


def judged(harmful, benign, **given):
    resolved = params(**given)
    outcome_tables = outcomes.tables(read.read(tables(*sides(harmful, benign)), resolved, read.label_map(resolved)))
    groups, part = overall.part(outcome_tables, resolved)
    composed = compose([part], alpha=resolved["alpha"])
    return overall.judgements(groups, composed), outcome_tables, resolved, part


def test_each_outcome_is_one_member_and_holm_spans_the_two():
    harmful, benign = (5, 2, 30, 163), (10, 8, 12, 170)
    judgements, _, _, part = judged(harmful, benign)
    assert [m.code for m in part.gated] == ["HARMFUL_COMPLIANCE_REGRESSION", "OVER_REFUSAL_REGRESSION"]
    raw = [
        mcnemar([[c[0], c[1]], [c[2], c[3]]], exact=c[1] + c[2] < 25, correction=True).pvalue for c in (harmful, benign)
    ]
    assert [j.p for j in judgements] == pytest.approx(raw)
    assert [j.p_adjusted for j in judgements] == pytest.approx(list(multipletests(raw, method="holm")[1]))
    assert judgements[0].verdict is Verdict.FAIL  # +14 points, p ~ 1e-6
    assert judgements[1].verdict is Verdict.PASS  # +2 points, CI below the 10-point fail_at


def test_report_names_the_pairs_needed_when_unsettled_and_says_when_an_outcome_has_no_prompts():
    judgements, outcome_tables, resolved, _ = judged((0, 1, 3, 16), (0, 0, 0, 0))
    assert judgements[1] is None
    metrics, findings, reasons = overall.report(judgements, outcome_tables, resolved)
    assert [f.code for f in findings] == ["INSUFFICIENT_PAIRS", "NO_PROMPTS"]
    assert not reasons
    assert "cannot rule out a rise of 5.0 points" in findings[0].message and SIZED_FOR.search(findings[0].message)
    # one outcome with prompts: a Holm family of one, judged at alpha; discordance 4 of 20 pairs
    stated = metrics["n_required.harmful"].value
    assert f"about {stated:,} harmful pairs would settle it" in findings[0].message
    assert mcnemar_oracle.crosses_eighty_percent_at(stated, 0.05, 4 / 20, 0.05)


def test_both_outcomes_unsettled_are_sized_at_half_alpha_and_zero_discordance_at_the_drop():
    judgements, outcome_tables, resolved, _ = judged((0, 0, 1, 9), (0, 0, 0, 10))
    metrics, findings, _ = overall.report(judgements, outcome_tables, resolved)
    assert [f.code for f in findings] == ["INSUFFICIENT_PAIRS", "INSUFFICIENT_PAIRS"]
    # Holm across the two outcomes: each is sized at alpha / 2; benign had no discordant pair, so
    # every discordant pair of a 10-point rise is a regression
    assert mcnemar_oracle.crosses_eighty_percent_at(metrics["n_required.harmful"].value, 0.05, 0.1, 0.025)
    assert mcnemar_oracle.crosses_eighty_percent_at(metrics["n_required.benign"].value, 0.10, 0.0, 0.025)
