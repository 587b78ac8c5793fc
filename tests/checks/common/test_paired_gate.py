"""paired_gate against independent oracles: statsmodels' McNemar and Wilson interval (Newcombe's
method 10 written out by hand), statsmodels' Holm, and the gate rule's table."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from airflow_evalguard.checks.common.paired_gate import (
    PairedJudgement,
    group_codes,
    method_summary,
    paired_groups,
)
from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.part import Part
from airflow_evalguard.stats.paired import PairedTable
from airflow_evalguard.verdicts import Verdict


def newcombe_method10(both_bad, better, worse, both_ok, alpha):
    """Newcombe (1998) method 10 from statsmodels' Wilson intervals of the two margins."""
    n = both_bad + better + worse + both_ok
    p1, p2 = (both_bad + better) / n, (both_bad + worse) / n
    l1, u1 = proportion_confint(both_bad + better, n, alpha, method="wilson")
    l2, u2 = proportion_confint(both_bad + worse, n, alpha, method="wilson")
    denom = np.sqrt((both_bad + better) * (worse + both_ok) * (both_bad + worse) * (better + both_ok))
    phi = (both_bad * both_ok - better * worse) / denom if denom > 0 else 0.0
    lower = p2 - p1 - np.sqrt((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2)
    upper = p2 - p1 + np.sqrt((u2 - p2) ** 2 - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2)
    return lower, upper


CELLS = [(30, 4, 15, 151), (5, 20, 40, 35), (0, 0, 0, 12)]  # (both_bad, better, worse, both_ok) per group


def table():
    rows = []
    for group, cells in enumerate(CELLS):
        for (base_bad, cand_bad), count in zip([(1, 1), (1, 0), (0, 1), (0, 0)], cells, strict=True):
            rows += [(group, base_bad, cand_bad)] * count
    frame = pd.DataFrame(rows, columns=["group", "base", "cand"])
    return PairedTable.from_flags(frame["base"].to_numpy(), frame["cand"].to_numpy(), frame["group"].to_numpy(), 3)


@pytest.mark.parametrize("index", [0, 1, 2])
def test_groups_match_statsmodels_mcnemar_and_newcombe(index):
    group = paired_groups(table(), 0.05)[index]
    both_bad, better, worse, both_ok = CELLS[index]
    n = sum(CELLS[index])
    assert group.n == n and group.worse == worse and group.better == better
    assert group.baseline == pytest.approx((both_bad + better) / n)
    assert group.candidate == pytest.approx((both_bad + worse) / n)
    assert group.delta == pytest.approx((worse - better) / n)
    exact = better + worse < 25
    oracle = sm_mcnemar([[both_bad, better], [worse, both_ok]], exact=exact, correction=True)
    assert group.p == pytest.approx(oracle.pvalue, rel=1e-9)
    assert group.method == ("exact" if exact else "chi2_cc")
    lower, upper = newcombe_method10(both_bad, better, worse, both_ok, 0.05)
    assert (group.ci_low, group.ci_high) == pytest.approx((lower, upper), abs=1e-12)


def test_a_group_without_pairs_is_not_tested():
    t = PairedTable.from_flags(np.array([True]), np.array([False]), np.array([0]), 2)
    assert paired_groups(t, 0.05)[1] is None


def test_effects_composed_are_holm_adjusted_and_gated():
    groups = [g for g in paired_groups(table(), 0.05) if g is not None]
    effects = [g.effect(f"G{i}", warn_at=0.02, fail_at=0.05, describe=lambda v: v.value) for i, g in enumerate(groups)]
    assert all(not e.report for e in effects)  # the checks word their own findings
    composed = compose([Part(gated=tuple(effects))], alpha=0.05)
    adjusted = multipletests([g.p for g in groups], method="holm")[1]
    judgements = [PairedJudgement.of(g, j) for g, j in zip(groups, composed.judged, strict=True)]
    assert [j.p_adjusted for j in judgements] == pytest.approx(list(adjusted))
    # groups 0 and 1 rise 5.5 and 20 points, significant after Holm -> FAIL; group 2 (12 pairs, no change)
    # cannot rule out a rise of fail_at -> INCONCLUSIVE
    assert [j.verdict for j in judgements] == [Verdict.FAIL, Verdict.FAIL, Verdict.INCONCLUSIVE]
    assert composed.verdict is Verdict.FAIL


def test_gate_rule_bands_turn_a_significant_small_rise_into_warn():
    group = paired_groups(table(), 0.05)[0]  # +5.5%, p ~ 0.02
    effect = group.effect("G", warn_at=0.05, fail_at=0.10, describe=lambda v: v.value)
    judged = compose([Part(gated=(effect,))], alpha=0.05).judged[0]
    assert judged.verdict is Verdict.WARN
    unsettled = group.effect("G", warn_at=0.05, fail_at=0.09, describe=lambda v: v.value)
    strict = compose([Part(gated=(unsettled,))], alpha=0.01).judged[0]  # not significant, CI reaches 9%
    assert group.ci_high >= 0.09 and strict.verdict is Verdict.INCONCLUSIVE


def test_judgement_metrics_are_named_for_the_rate_and_the_test():
    group = paired_groups(table(), 0.05)[1]
    judged = compose([Part(gated=(group.effect("G", warn_at=0.02, fail_at=0.05, describe=str),))], alpha=0.05).judged[0]
    metrics = PairedJudgement.of(group, judged).metrics("harm_rate", "harmful")
    assert list(metrics) == [
        "harm_rate.baseline",
        "harm_rate.candidate",
        "harm_rate.delta",
        "mcnemar_p.harmful",
        "mcnemar_p_holm.harmful",
        "discordant.harmful.worse",
        "discordant.harmful.better",
    ]
    assert metrics["harm_rate.delta"].ci_low == group.ci_low and metrics["discordant.harmful.worse"].value == 40
    assert metrics["mcnemar_p_holm.harmful"].value == pytest.approx(group.p)  # a family of one


def test_method_summary():
    assert method_summary(["exact", "exact"]) == "exact"
    assert method_summary(["exact", "chi2_cc"]) == "mixed"
    assert method_summary([]) == "none"


def test_group_codes_sort_labels_and_name_missing():
    codes, labels = group_codes(pd.Series(["b", "a", None, "b"]))
    assert labels == ["a", "b", "(missing)"]
    assert [labels[c] for c in codes] == ["b", "a", "(missing)", "b"]
