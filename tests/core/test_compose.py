"""The one composer: Holm across every part, the gate rule, slices, UNDERPOWERED_SLICE."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from airflow_evalguard.core.compose import UNDERPOWERED_SLICE, compose, judge_members
from airflow_evalguard.core.part import GatedEffect, Part, TestedClaim
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.verdicts import Verdict


def _effect(p_value, value=0.3, ci_high=0.4, *, slice=None, code="DROP", **kw):
    return GatedEffect(
        code, value, ci_high, p_value, 0.1, 0.2, lambda verdict: f"drop is {verdict.value}", slice=slice, **kw
    )


def test_holm_spans_every_part_and_matches_statsmodels():
    rng = np.random.default_rng(3)
    raw = rng.uniform(0, 0.08, size=9)
    parts = [
        Part(gated=tuple(_effect(p) for p in raw[:4])),
        Part(gated=tuple(_effect(p) for p in raw[4:7])),
        Part(tested=tuple(TestedClaim("COVER", p, Verdict.FAIL, lambda v: "short") for p in raw[7:])),
    ]
    composed = compose(parts, alpha=0.05)
    expected = multipletests(raw, alpha=0.05, method="holm")[1]
    assert [j.p_adjusted for j in composed.judged] == pytest.approx(expected)


def test_gate_rule_per_effect_after_adjustment():
    members = [
        _effect(0.001, value=0.25),
        _effect(0.001, value=0.15),
        _effect(0.5, ci_high=0.3),
        _effect(0.5, ci_high=0.15),
    ]
    verdicts = [j.verdict for j in judge_members(members, alpha=0.05)]
    assert verdicts == [Verdict.FAIL, Verdict.WARN, Verdict.INCONCLUSIVE, Verdict.PASS]


def test_effect_without_p_value_is_significant_when_interval_excludes_zero():
    judged = judge_members([_effect(None, value=0.25, ci_low=0.01), _effect(None, value=0.25, ci_low=-0.01)], 0.05)
    assert [j.significant for j in judged] == [True, False]
    assert judged[1].verdict is Verdict.INCONCLUSIVE


def test_tested_claim_takes_its_own_verdicts():
    claims = [
        TestedClaim("COVER", 0.001, Verdict.FAIL, lambda v: "x", otherwise=Verdict.INCONCLUSIVE),
        TestedClaim("COVER", 0.9, Verdict.FAIL, lambda v: "x", otherwise=Verdict.INCONCLUSIVE),
    ]
    assert [j.verdict for j in judge_members(claims, 0.05)] == [Verdict.FAIL, Verdict.INCONCLUSIVE]


def test_findings_codes_headline_and_adjusted_p_metric():
    part = Part(
        metrics={"n": Metric(10)},
        findings=(Finding("info", "NOTE", "kept"),),
        gated=(_effect(0.001, value=0.25, p_metric="p_holm[x]"), _effect(0.5, ci_high=0.3)),
    )
    composed = compose([part], alpha=0.05)
    assert composed.verdict is Verdict.FAIL
    assert [f.code for f in composed.findings] == ["NOTE", "DROP", "DROP_UNSETTLED"]
    assert composed.headline == ("Drop is FAIL",)
    assert composed.metrics["p_holm[x]"].value == pytest.approx(0.002)
    unreported = compose([Part(gated=(_effect(0.001, value=0.25, report=False),))], alpha=0.05)
    assert unreported.findings == () and unreported.verdict is Verdict.FAIL


def test_unsettled_slice_is_underpowered_unless_required():
    part = Part(
        slices=(SliceResult("a", Verdict.PASS), SliceResult("b", Verdict.PASS)),
        gated=(_effect(0.5, ci_high=0.3, slice="a"), _effect(0.9, ci_high=0.1, slice="b")),
    )
    composed = compose([part], alpha=0.05, underpowered=lambda names: f"too few: {names}")
    assert composed.verdict is Verdict.PASS
    assert [s.verdict for s in composed.slices] == [Verdict.INCONCLUSIVE, Verdict.PASS]
    assert composed.findings[-1] == Finding("warn", UNDERPOWERED_SLICE, "too few: ['a']")
    assert composed.underpowered == ("a",)
    required = compose([part], alpha=0.05, required_slices={"a"})
    assert required.verdict is Verdict.INCONCLUSIVE
    assert not any(f.code == UNDERPOWERED_SLICE for f in required.findings)


def test_validity_and_slice_floors():
    part = Part(validity=(Verdict.WARN,), slices=(SliceResult("a", Verdict.PASS),), slice_validity={"a": Verdict.WARN})
    composed = compose([part], alpha=0.05)
    assert composed.verdict is Verdict.WARN
    assert composed.slices[0].verdict is Verdict.WARN


def test_parts_are_not_changed():
    original = SliceResult("a", Verdict.PASS)
    compose([Part(slices=(original,), gated=(_effect(0.001, value=0.25, slice="a"),))], alpha=0.05)
    assert original.verdict is Verdict.PASS


def test_part_can_name_unsettled_slices_whose_verdict_is_not_inconclusive():
    part = Part(slices=(SliceResult("a", Verdict.PASS),), slice_validity={"a": Verdict.FAIL}, unsettled=("a",))
    composed = compose([part], alpha=0.05)
    assert composed.verdict is Verdict.FAIL
    assert composed.underpowered == ("a",)
    assert composed.findings[-1].code == UNDERPOWERED_SLICE
