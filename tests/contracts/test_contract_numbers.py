"""Every number in a contract is finite. NaN compares false with everything, so a bound, share or
`mostly` of NaN never fails: `max_automated_share: .nan` turned a FAIL into a PASS."""

import pytest

from airflow_evalguard.cli import main
from airflow_evalguard.contracts.loader import ContractError, parse_contract_text
from airflow_evalguard.demo.data_contracts import tool_calls
from airflow_evalguard.run import run_check
from tests.conftest import REPO

ESCALATE = (REPO / "dags" / "contracts" / "escalate_to_human.yaml").read_text()
ANSWERED_BY_AUTOMATION = ESCALATE.replace("human_value: human", "human_value: automation")


def _set(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    "text, line, field",
    [
        (
            _set(ESCALATE, "max_automated_share: 0.0", "max_automated_share: .nan"),
            36,
            "behaviour.human_handled.max_automated_share",
        ),
        (_set(ESCALATE, "warn_at: 0.03", "warn_at: .nan"), 28, "behaviour.escalation_rate.warn_at"),
        (_set(ESCALATE, "min: 0, max: 1", "min: .nan, max: 1"), 18, "fields.confidence.min"),
        (_set(ESCALATE, "min: 0, max: 1", "min: 0, max: .inf"), 18, "fields.confidence.max"),
        (_set(ESCALATE, "min: 0, max: 1", "min: -.Inf, max: 1"), 18, "fields.confidence.min"),
        (
            _set(ESCALATE, "required: true, unique: true}", "required: true, unique: true, mostly: .NaN}"),
            12,
            "fields.call_id.mostly",
        ),
        (
            _set(ESCALATE, "enum: [human, automation]", "enum: [human, automation, nan]"),
            19,
            "fields.resolved_by_type.enum[2]",
        ),
        (_set(ESCALATE, "max_length: 4000", "max_length: 1" + "0" * 400), 16, "fields.reason.max_length"),
        (
            "name: x\nversion: 1\nexpectations:\n  - type: expect_column_values_to_not_be_null\n"
            "    kwargs: {column: a, row_condition: {type: comparison, column: {name: b}, operator: '<',\n"
            "                                        parameter: .nan}}\n",
            6,
            "expectations[0].kwargs.row_condition.parameter",
        ),
        (
            '{"name": "s", "expectations": [{"type": "expect_column_values_to_not_be_null",\n'
            ' "kwargs": {"column": "a", "mostly": NaN}}]}',
            2,
            "expectations[0].kwargs.mostly",
        ),
        (
            '{"name": "s", "expectations": [{"type": "expect_column_values_to_be_between",\n'
            ' "kwargs": {"column": "a", "min_value": -Infinity, "max_value": 1}}]}',
            2,
            "expectations[0].kwargs.min_value",
        ),
    ],
)
def test_a_non_finite_number_is_refused_with_file_line_and_field(text, line, field):
    with pytest.raises(ContractError) as caught:
        parse_contract_text(text, origin="c.yaml")
    message = str(caught.value)
    assert message.startswith(f"c.yaml line {line} ({field}): ") and "not a finite number" in message, message


def test_quoted_text_that_spells_nan_is_still_text():
    text = _set(ESCALATE, "enum: [human, automation]", "enum: [human, automation, 'nan', \"Infinity\"]")
    assert parse_contract_text(text).fields["resolved_by_type"]["enum"][2:] == ["nan", "Infinity"]


@pytest.mark.parametrize(
    "rule", ["when confidence < 1e999 then severity is not null", "when confidence >= -1E400 then severity is not null"]
)
def test_a_number_in_a_condition_is_finite_too(rule):
    text = _set(ESCALATE, '  - when tool == "escalate_to_human" then severity is not null', f"  - {rule}")
    with pytest.raises(ContractError, match=r"\(rules\[0\]\): .*not a finite number"):
        parse_contract_text(text, origin="c.yaml")


def test_nan_no_longer_turns_the_human_handled_fail_into_a_pass(tmp_path):
    records = tool_calls(None, seed=1)
    failing = tmp_path / "zero.yaml"
    failing.write_text(ANSWERED_BY_AUTOMATION)
    result = run_check("output_contract", {"records": records}, {"contract": str(failing)})
    assert result.verdict.value == "FAIL" and "answered by an automated consumer" in result.summary

    nan = tmp_path / "nan.yaml"
    nan.write_text(_set(ANSWERED_BY_AUTOMATION, "max_automated_share: 0.0", "max_automated_share: .nan"))
    with pytest.raises(ContractError, match=r"nan.yaml line 36 \(behaviour.human_handled.max_automated_share\)"):
        run_check("output_contract", {"records": records}, {"contract": str(nan)})
    assert main(["contract", "validate", str(nan)]) == 2


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"column": "confidence", "min_value": "NaN", "max_value": 1}, "min_value"),
        ({"column": "confidence", "min_value": 0, "max_value": "Infinity"}, "max_value"),
        ({"column": "confidence", "min_value": 0, "max_value": " -inf "}, "max_value"),
    ],
)
def test_text_that_gx_turns_into_a_non_finite_number_is_refused_by_validate_and_run(tmp_path, kwargs, field):
    """A JSON suite's "NaN" is text to YAML, but GX's pydantic models read it as a float."""
    import json

    from airflow_evalguard.contracts.compile import compile_contract
    from airflow_evalguard.contracts.loader import load_contract

    suite = {"name": "s", "expectations": [{"type": "expect_column_values_to_be_between", "kwargs": kwargs}]}
    (tmp_path / "suite.json").write_text(json.dumps(suite))
    with pytest.raises(
        ContractError, match=rf"suite.json line 1 \(expectations\[0\]\.kwargs\.{field}\): .*not a finite"
    ):
        compile_contract(load_contract(tmp_path / "suite.json"))
    assert main(["contract", "validate", str(tmp_path / "suite.json")]) == 2
    with pytest.raises(ContractError):
        run_check("output_contract", {"records": tool_calls(None, seed=1)}, {"contract": str(tmp_path / "suite.json")})


def test_kwargs_gx_refuses_are_refused_by_validate_too(tmp_path):
    import json

    suite = {
        "name": "s",
        "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a", "mostly": "NaN"}}],
    }
    (tmp_path / "suite.json").write_text(json.dumps(suite))
    assert main(["contract", "validate", str(tmp_path / "suite.json")]) == 2
