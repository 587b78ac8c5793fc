"""slice_retention.required: a declared slice never measured fails; one left unsettled holds the
result at INCONCLUSIVE and stays named in UNDERPOWERED_SLICE."""

from airflow_evalguard.checks.slice_retention import read, required, slices
from airflow_evalguard.core.compose import compose
from airflow_evalguard.verdicts import Verdict
from tests.checks.slice_retention.helpers import correct_pairs, params, tables

CELLS = {"big": (20, 5, 5, 570), "rare": (1, 0, 1, 18)}


def composed(declared):
    resolved = params()
    family = slices.judge(read.read(tables(*correct_pairs(CELLS)), resolved), declared, resolved)
    return compose(
        [family.part, required.part(declared, family)], alpha=0.05, underpowered=lambda names: ", ".join(names)
    ), family


def test_a_missing_required_slice_fails():
    result, family = composed([read.Required("slice=gone", 30, None)])
    assert required.missing([read.Required("slice=gone", 30, None)], family) == ["slice=gone"]
    assert result.verdict is Verdict.FAIL
    assert [f.code for f in result.findings][:1] == ["REQUIRED_SLICE_MISSING"]


def test_an_unsettled_required_slice_is_inconclusive_and_still_named():
    undeclared, _ = composed([])
    assert undeclared.verdict is Verdict.PASS and undeclared.underpowered == ("slice=rare",)
    declared, _ = composed([read.Required("slice=rare", 30, None)])
    assert declared.verdict is Verdict.INCONCLUSIVE
    assert declared.findings[-1].code == "UNDERPOWERED_SLICE" and declared.findings[-1].message == "slice=rare"
