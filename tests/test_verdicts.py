import pytest
from statsmodels.stats.multitest import multipletests

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.stats.multiplicity import holm_adjust
from airflow_evalguard.verdicts import (
    Effect,
    SliceVerdict,
    Verdict,
    gate_rule,
    judge_family,
    overall_verdict,
    validate_bands,
    worst,
)


@pytest.mark.parametrize(
    "value, ci_high, significant, expected",
    [
        (0.25, 0.30, True, Verdict.FAIL),  # significant, beyond fail_at
        (0.20, 0.22, True, Verdict.FAIL),  # exactly fail_at fails
        (0.15, 0.19, True, Verdict.WARN),  # significant, between the bands
        (0.10, 0.12, True, Verdict.WARN),  # exactly warn_at warns
        (0.05, 0.08, True, Verdict.PASS),  # significant but below warn_at: a tolerated difference
        (0.05, 0.25, False, Verdict.INCONCLUSIVE),  # cannot rule out a failing regression
        (0.05, 0.20, False, Verdict.INCONCLUSIVE),  # CI reaching fail_at exactly counts
        (0.25, 0.40, False, Verdict.INCONCLUSIVE),  # large but not significant
        (0.05, 0.15, False, Verdict.PASS),  # not significant and CI rules out fail_at
        (0.05, None, False, Verdict.PASS),
    ],
)
def test_gate_rule_table(value, ci_high, significant, expected):
    assert gate_rule(value, ci_high, significant, warn_at=0.1, fail_at=0.2) is expected


def test_worst_orders_inconclusive_between_warn_and_fail():
    assert worst([Verdict.PASS, Verdict.WARN]) is Verdict.WARN
    assert worst([Verdict.WARN, Verdict.INCONCLUSIVE]) is Verdict.INCONCLUSIVE
    assert worst([Verdict.INCONCLUSIVE, Verdict.FAIL]) is Verdict.FAIL
    assert worst([]) is Verdict.PASS


@pytest.mark.parametrize(
    "pvals",
    [[0.01, 0.04, 0.03, 0.005], [0.5, 0.2, 0.9], [0.001], [0.02, 0.02, 0.02, 0.5, 0.0001], [1.0, 0.0]],
)
def test_holm_matches_statsmodels(pvals):
    expected = multipletests(pvals, method="holm")[1]
    assert holm_adjust(pvals) == pytest.approx(list(expected))


def test_holm_leaves_untested_entries_out_of_the_family():
    adjusted = holm_adjust([0.01, None, 0.04])
    assert adjusted[1] is None
    assert adjusted[0] == pytest.approx(0.02) and adjusted[2] == pytest.approx(0.04)


def test_judge_family_uses_holm_for_significance():
    # 0.03 is significant alone but not after Holm with a second test of p=0.04 (0.06, 0.06).
    effects = [Effect("a", 0.3, 0.2, 0.4, 0.03), Effect("b", 0.3, 0.2, 0.4, 0.04)]
    judged = judge_family(effects, alpha=0.05, warn_at=0.1, fail_at=0.2)
    assert [j.significant for j in judged] == [False, False]
    assert [j.verdict for j in judged] == [Verdict.INCONCLUSIVE, Verdict.INCONCLUSIVE]
    alone = judge_family(effects[:1], alpha=0.05, warn_at=0.1, fail_at=0.2)
    assert alone[0].verdict is Verdict.FAIL


def test_judge_family_without_p_uses_ci():
    judged = judge_family([Effect("a", 0.3, 0.25, 0.35)], alpha=0.05, warn_at=0.1, fail_at=0.2)
    assert judged[0].significant and judged[0].verdict is Verdict.FAIL


def test_overall_verdict_underpowered_slice_does_not_make_result_inconclusive():
    verdict, underpowered = overall_verdict(
        [Verdict.PASS], [], [SliceVerdict("category=a", Verdict.INCONCLUSIVE), SliceVerdict("category=b", Verdict.WARN)]
    )
    assert verdict is Verdict.WARN and underpowered == ["category=a"]


def test_overall_verdict_required_slice_is_inconclusive():
    verdict, underpowered = overall_verdict(
        [Verdict.PASS], [], [SliceVerdict("x=1", Verdict.INCONCLUSIVE, required=True)]
    )
    assert verdict is Verdict.INCONCLUSIVE and underpowered == []


def test_validity_failure_fails_directly():
    assert overall_verdict([Verdict.PASS], [Verdict.FAIL])[0] is Verdict.FAIL


def test_bands_must_be_ordered():
    with pytest.raises(EvalGuardInputError, match="warn_at"):
        validate_bands(0.3, 0.2)
