from airflow_evalguard.checks.assignment_integrity.shared import shared_inputs_part
from airflow_evalguard.verdicts import Verdict
from tests.checks.assignment_integrity.arms_of import params


def test_each_field_both_hashed_and_assembled_fails_from_the_config_alone():
    part = shared_inputs_part(params(hash_inputs=["user_id", "prompt", "lang"], assembler_inputs=["prompt", "lang"]))
    assert [f.code for f in part.findings] == ["SHARED_INPUT", "SHARED_INPUT"]
    assert ["'lang'" in part.findings[0].message, "'prompt'" in part.findings[1].message] == [True, True]
    assert part.validity == (Verdict.FAIL, Verdict.FAIL)
    assert shared_inputs_part(params(hash_inputs=["user_id"], assembler_inputs=["prompt"])).validity == ()
