from airflow_evalguard.exceptions import EvalGuardInputError


def test_a_huge_message_is_capped():
    # Found by the hostile suite: latency_tail listed 10 KB class names in one error line.
    error = EvalGuardInputError("classes: " + "x" * 20_000)
    assert len(str(error)) < 1_100 and str(error).endswith("more characters)")
