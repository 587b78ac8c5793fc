"""Nesting has a limit, checked before anything recurses: a few KB of brackets must not crash the
tool with a RecursionError (exit 4) in the YAML composer, the schema check or our own walks."""

import pytest

from airflow_evalguard.cli import main
from airflow_evalguard.contracts.gx_build import _has_pattern, _mentions
from airflow_evalguard.contracts.loader import MAX_NESTING, ContractError, parse_contract_text


def _gx_suite(kwargs_json: str) -> str:
    return (
        '{"name": "s", "expectations": [{"type": "expect_column_values_to_match_json_schema", '
        f'"kwargs": {kwargs_json}}}]}}'
    )


DEEP_ROW_CONDITION = (
    '{"column": "a", "condition_parser": "great_expectations", "row_condition": '
    + '{"type": "and", "conditions": [' * 900
    + "]}" * 900
    + "}"
)
DEEP_JSON_SCHEMA = '{"column": "a", "json_schema": ' + '{"items": ' * 900 + "{}" + "}" * 900 + "}"


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 3000 + "]" * 3000 + "\n",
        "name: x\nversion: 1\ndescription: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
        "name: x\nversion: 1\nfields:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(400)),
        _gx_suite(DEEP_ROW_CONDITION),
        _gx_suite(DEEP_JSON_SCHEMA),
    ],
)
def test_deep_nesting_is_a_short_contract_error(text):
    with pytest.raises(ContractError, match=rf"^c.yaml line \d+: nested deeper than {MAX_NESTING} levels") as caught:
        parse_contract_text(text, origin="c.yaml")
    assert len(str(caught.value)) < 200


def _schema_nested(levels: int) -> str:
    """A GX suite whose json_schema makes the whole document `4 + levels` deep (suite, expectations,
    expectation, kwargs, then the schema's own mappings)."""
    return _gx_suite('{"column": "a", "json_schema": ' + '{"items": ' * (levels - 1) + "{}" + "}" * (levels - 1) + "}")


def test_nesting_up_to_the_limit_still_loads():
    assert parse_contract_text(_schema_nested(MAX_NESTING - 4), origin="c.yaml").name == "s"
    with pytest.raises(ContractError, match="nested deeper"):
        parse_contract_text(_schema_nested(MAX_NESTING - 3), origin="c.yaml")


@pytest.mark.parametrize(
    "text", ["a: " + "[" * 3000 + "]" * 3000 + "\n", _gx_suite(DEEP_ROW_CONDITION), _gx_suite(DEEP_JSON_SCHEMA)]
)
def test_the_cli_exits_2_not_4(tmp_path, text):
    (tmp_path / "c.yaml").write_text(text)
    assert main(["contract", "validate", str(tmp_path / "c.yaml")]) == 2


def test_our_own_walks_do_not_recurse():
    """compile_contract may see data that never went through the loader."""
    deep_condition: dict = {"type": "and", "conditions": []}
    deep_schema: dict = {}
    inner_condition, inner_schema = deep_condition, deep_schema
    for _ in range(5000):
        inner_condition["conditions"].append({"type": "and", "conditions": []})
        inner_condition = inner_condition["conditions"][0]
        inner_schema["items"] = {}
        inner_schema = inner_schema["items"]
    inner_condition["conditions"].append({"type": "pass_through", "pass_through_filter": "a > 1"})
    inner_schema["pattern"] = "^(a+)+$"
    assert _mentions(deep_condition, lambda value: isinstance(value, dict) and value.get("type") == "pass_through")
    assert _has_pattern(deep_schema)
