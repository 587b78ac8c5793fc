"""Loading contracts: safe YAML, the shipped JSON Schema, errors that name the line and field."""

import json

import pytest

from airflow_evalguard.contracts.compile import compile_contract
from airflow_evalguard.contracts.loader import ContractError, contract_schema, load_contract, parse_contract_text
from tests.conftest import REPO

EXAMPLE = REPO / "dags" / "contracts" / "escalate_to_human.yaml"


def test_shipped_schema_is_valid_json_schema():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(contract_schema())


def test_example_contract_loads_and_compiles():
    contract = load_contract(EXAMPLE)
    assert (contract.name, contract.version) == ("escalate_to_human", 3)
    specs = compile_contract(contract)
    clauses = {s.clause for s in specs}
    assert {"fields.call_id.unique", "fields.severity.enum", "fields.handoff_target.regex", "rules.2"} <= clauses
    assert set(contract.behaviour) == {"escalation_rate", "human_handled"}


@pytest.mark.parametrize(
    "text,message",
    [
        ("name: x\nversion: 1\nfields:\n  a: {type: strin}\n", r"line 4 \(fields\.a\.type\): 'strin' is not one of"),
        ("name: x\nversion: 0\n", r"line 2 \(version\): 0 is less than the minimum"),
        ("name: x\n", r"'version' is a required property"),
        ("name: x\nversion: 1\nfields:\n  a:\n    required: yes please\n", r"line 5 \(fields\.a\.required\)"),
        ("name: x\nversion: 1\nfields:\n  a: {type: string, colour: red}\n", r"line 4 \(fields\.a\).*'colour'"),
        ("name: x\nversion: 1\nrules:\n  - 'when a == 1'\n", r"line 4 \(rules\[0\]\).*expected 'then'"),
        ("name: x\nversion: 1\nfields:\n  a: {min: 5, max: 1}\n", r"line 4 \(fields\.a\): min=5 is above max=1"),
        ("name: x\nversion: 1\nfields:\n  a: {regex: '(['}\n", r"line 4 \(fields\.a\.regex\): not a valid regular"),
        ("name: x\nversion: 1\nfields:\n  a: {type: string\n", r"line 5, column 1: not valid YAML"),
        ("- just\n- a list\n", "a contract is a mapping"),
        (
            "name: x\nversion: 1\nbehaviour:\n  escalation_rate:\n    escalated_when: 'tool = 1'\n",
            r"line 5 \(behaviour\.escalation_rate\.escalated_when\)",
        ),
    ],
)
def test_bad_contracts_name_line_and_field(text, message):
    with pytest.raises(ContractError, match=message):
        parse_contract_text(text, origin="c.yaml")


def test_unknown_expectation_name_is_refused_with_suggestions():
    contract = parse_contract_text(
        "name: x\nversion: 1\nexpectations:\n  - type: expect_colum_values_to_be_unique\n    kwargs: {column: a}\n",
        origin="c.yaml",
    )
    with pytest.raises(
        ContractError,
        match=r"c.yaml line 4 \(expectations\[0\]\.type\).*did you mean.*"
        r"expect_column_values_to_be_unique",
    ):
        compile_contract(contract)


def test_yaml_tags_that_build_objects_are_refused():
    with pytest.raises(ContractError, match="not valid YAML"):
        parse_contract_text("name: !!python/object/apply:os.system ['true']\nversion: 1\n", origin="c.yaml")


def test_non_utf8_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"name: x\nversion: 1\ndescription: caf\xe9\n")
    with pytest.raises(ContractError, match=r"line 3: not UTF-8"):
        load_contract(path)


def test_missing_file(tmp_path):
    with pytest.raises(ContractError, match="no such file"):
        load_contract(tmp_path / "nope.yaml")


def test_gx_suite_json_is_accepted_directly(tmp_path):
    import great_expectations as gx
    import great_expectations.expectations as gxe

    gx.get_context(mode="ephemeral")  # GX builds suites only inside a context
    suite = gx.ExpectationSuite(name="calls", meta={"version": 2})
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="call_id"))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="tool", value_set=["answer", "escalate_to_human"]))
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite.to_json_dict()))
    contract = load_contract(path)
    assert (contract.name, contract.version) == ("calls", 2)
    assert [s.type for s in compile_contract(contract)] == [
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_in_set",
    ]
