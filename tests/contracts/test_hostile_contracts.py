"""A contract must not hang or balloon the worker: no YAML alias expansion, no backtracking regex
on model output, no megabyte error messages."""

import json
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

from airflow_evalguard.contracts.compile import compile_contract
from airflow_evalguard.contracts.loader import MAX_CONTRACT_BYTES, ContractError, load_contract, parse_contract_text
from tests.conftest import REPO

# "Billion laughs": each level lists the previous one 9 times; `description` must be text, so the
# schema error would repr all 9^8 (43M) items: before the fix, 7 levels took 1.6 s and gave a 34.7 MB
# message, and each level multiplies both by 9.
LEVELS = 8
ALIAS_BOMB = (
    "name: x\nversion: 1\n"
    + 'l0: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"l{i + 1}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(LEVELS - 1))
    + f"description: *{chr(97 + LEVELS - 1)}\n"
)


def test_an_alias_bomb_is_refused_fast_with_a_short_error():
    assert len(ALIAS_BOMB) < 600
    parse_contract_text("name: x\nversion: 1\n")  # imports (yaml, jsonschema) are not what is timed
    started = time.perf_counter()
    with pytest.raises(ContractError, match=r"c.yaml line 3: YAML anchors and aliases") as caught:
        parse_contract_text(ALIAS_BOMB, origin="c.yaml")
    assert time.perf_counter() - started < 0.5
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize(
    "text, line",
    [
        ("name: x\nversion: 1\nfields:\n  a: &f {type: string}\n", 4),
        ("name: x\nversion: 1\nfields:\n  a: {type: string}\n  b: *f\n", 5),
        ("base: &base {type: string}\nname: x\nversion: 1\nfields:\n  a:\n    <<: *base\n", 1),
    ],
)
def test_any_anchor_or_alias_is_refused_with_its_line(text, line):
    with pytest.raises(ContractError, match=rf"c.yaml line {line}: YAML anchors and aliases"):
        parse_contract_text(text, origin="c.yaml")


def test_plain_yaml_still_loads_as_safe_load_would():
    import yaml

    text = (REPO / "dags" / "contracts" / "escalate_to_human.yaml").read_text()
    assert parse_contract_text(text, origin="c.yaml").raw == yaml.safe_load(text)


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)b", r"(?<!x)y", r"\Z"])
def test_a_field_regex_re2_cannot_run_is_refused_at_load(pattern):
    text = f"name: x\nversion: 1\nfields:\n  a: {{type: string}}\n  b: {{regex: '{pattern}'}}\n"
    with pytest.raises(
        ContractError,
        match=r"c.yaml line 5 \(fields\.b\.regex\): not a valid regular expression "
        r"for RE2",
    ):
        parse_contract_text(text, origin="c.yaml")


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ("{column: a, regex: '(a)\\1'}", "regex"),
        ("{column: a, regex_list: ['ok', '(?=a)']}", "regex_list"),
    ],
)
def test_a_raw_gx_regex_re2_cannot_run_is_refused(kwargs, field):
    kind = "match_regex" if field == "regex" else "match_regex_list"
    contract = parse_contract_text(
        f"name: x\nversion: 1\nexpectations:\n  - type: expect_column_values_to_{kind}\n    kwargs: {kwargs}\n",
        origin="c.yaml",
    )
    with pytest.raises(ContractError, match=rf"c.yaml line 4 \(expectations\[0\]\.kwargs\.{field}\): not a valid "):
        compile_contract(contract)


def test_a_gx_suite_regex_re2_cannot_run_is_refused(tmp_path):
    import json

    suite = {
        "name": "s",
        "expectations": [
            {"type": "expect_column_values_to_not_match_regex", "kwargs": {"column": "a", "regex": "(x+)\\1"}}
        ],
    }
    (tmp_path / "suite.json").write_text(json.dumps(suite))
    with pytest.raises(ContractError, match=r"suite.json line 1 \(expectations\[0\]\.kwargs\.regex\)"):
        compile_contract(load_contract(tmp_path / "suite.json"))


def test_json_schema_patterns_and_pandas_row_conditions_are_refused():
    schema = parse_contract_text(
        "name: x\nversion: 1\nexpectations:\n  - type: expect_column_values_to_match_json_schema\n"
        "    kwargs: {column: a, json_schema: {properties: {b: {pattern: '^(a+)+$'}}}}\n"
    )
    with pytest.raises(ContractError, match=r"kwargs\.json_schema\): JSON Schema 'pattern'"):
        compile_contract(schema)


@pytest.mark.parametrize(
    "condition, field",
    [
        ("row_condition: 'b > 1', condition_parser: pandas", "condition_parser"),
        ("row_condition: 'b > 1'", "row_condition"),
        ("row_condition: {type: pass_through, pass_through_filter: 'b > 1'}", "row_condition"),
        (
            "row_condition: {type: and, conditions: [{type: pass_through, pass_through_filter: 'b > 1'}]}",
            "row_condition",
        ),
        ("row_condition: {type: nullity, column: {name: 'a` + 1 #'}, is_null: true}", "row_condition"),
        ("row_condition: 'col(\"a`\")==1', condition_parser: great_expectations", "row_condition"),
    ],
)
def test_row_conditions_that_reach_pandas_query_are_refused(condition, field):
    """GX hands these to DataFrame.query, an expression evaluator, as written or with the name spliced in."""
    contract = parse_contract_text(
        "name: x\nversion: 1\nexpectations:\n  - type: expect_column_values_to_not_be_null\n"
        f"    kwargs: {{column: a, {condition}}}\n",
        origin="c.yaml",
    )
    with pytest.raises(ContractError, match=rf"c.yaml line 4 \(expectations\[0\]\.kwargs\.{field}\)"):
        compile_contract(contract)


def test_structured_and_gx_parsed_row_conditions_still_compile():
    contract = parse_contract_text(
        "name: x\nversion: 1\nexpectations:\n  - type: expect_column_values_to_not_be_null\n"
        "    kwargs: {column: a, row_condition: {type: nullity, column: {name: b}, is_null: false}}\n"
        "  - type: expect_column_values_to_not_be_null\n"
        "    kwargs: {column: a, row_condition: 'col(\"b\")==1', condition_parser: great_expectations}\n"
    )
    assert len(compile_contract(contract)) == 2


def test_a_catastrophic_pattern_runs_in_linear_time():
    """`^(a+)+$` on 100k characters: Python's re would take longer than the universe; RE2 is linear."""
    from airflow_evalguard.contracts.re2_rows import row_outcomes

    column = pd.Series(["a" * 100_000 + "b", "aaa", None, 7], dtype=object)
    started = time.perf_counter()
    outcomes = row_outcomes(column, "expect_column_values_to_match_regex", {"regex": "^(a+)+$"})
    assert time.perf_counter() - started < 1.0
    assert outcomes.tolist() == [False, True, None, False]


def test_a_contract_with_a_catastrophic_pattern_validates_fast(tmp_path):
    """End to end through Great Expectations, in a subprocess so the old behaviour cannot hang the suite.
    pandas 3 runs RE2-compatible patterns on pyarrow strings in RE2 already, but falls back to Python's
    `re` for some (here: because of `\\s`), where this one backtracks exponentially."""
    (tmp_path / "c.yaml").write_text("name: x\nversion: 1\nfields:\n  text: {regex: '^(\\s?a+)+$', non_empty: true}\n")
    script = textwrap.dedent(f"""
        import json
        import pandas as pd
        from airflow_evalguard.contracts.compile import compile_contract
        from airflow_evalguard.contracts.gx_runner import validate_frame
        from airflow_evalguard.contracts.loader import load_contract
        specs = compile_contract(load_contract({str(tmp_path / "c.yaml")!r}))
        records = pd.DataFrame({{"text": ["a" * 100_000 + "b", "aaa", "  ", None]}})
        outcomes, _ = validate_frame(records, specs, "s")
        print(json.dumps({{o.spec.clause + "/" + o.spec.type: [o.success, o.unexpected_count, o.unexpected_index]
                          for o in outcomes}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=90, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    outcomes = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcomes["fields.text.regex/expect_column_values_to_match_regex"] == [False, 2, [0, 2]]
    assert outcomes["fields.text.non_empty/expect_column_values_to_match_regex"] == [False, 1, [2]]


def test_re2_gives_the_same_outcomes_as_gx_for_ordinary_patterns(monkeypatch):
    """RE2 instead of GX's `str.contains`: the same rows, mostly, nulls and row conditions."""
    from airflow_evalguard.contracts import gx_runner

    contract = parse_contract_text(
        textwrap.dedent("""
        name: x
        version: 1
        fields:
          code: {regex: '^[A-Z]{3}-\\d+$', mostly: 0.5}
          note: {non_empty: true}
        rules:
          - when kind == "human" then note is not empty
        expectations:
          - type: expect_column_values_to_not_match_regex_list
            kwargs: {column: note, regex_list: ['(?i)password', 'secret']}
          - type: expect_column_values_to_match_regex_list
            kwargs: {column: code, regex_list: ['^A', '\\d$'], match_on: all}
          - type: expect_column_values_to_not_match_regex
            kwargs: {column: kind, regex: '^b', row_condition: 'col("code").notNull()',
                     condition_parser: great_expectations}
    """)
    )
    records = pd.DataFrame(
        {
            "code": ["ABC-1", "abc-2", None, "ABX-9", "AB-", "ZZZ-3"],
            "note": ["ok", " ", "my PassWord", None, "top secret", "fine"],
            "kind": ["human", "human", "bot", "human", "bot", "bot"],
        }
    )
    specs = compile_contract(contract)

    def outcomes():
        found = gx_runner.validate_frame(records, specs, "s")[0]
        return {
            (o.spec.clause, o.spec.type): (o.success, o.element_count, o.unexpected_count, o.unexpected_index, o.error)
            for o in found
        }

    in_re2 = outcomes()
    monkeypatch.setattr(gx_runner, "evaluated_in_re2", lambda frame, given: (frame, given))
    in_python_re = outcomes()  # GX's own evaluation, safe on these short values
    assert in_re2 == in_python_re
    assert in_re2[("fields.code.regex", "expect_column_values_to_match_regex")][:4] == (True, 6, 2, [1, 4])
    assert in_re2[("expectations.0", "expect_column_values_to_not_match_regex_list")][2:4] == (2, [2, 4])
    assert in_re2[("expectations.2", "expect_column_values_to_not_match_regex")][2:4] == (2, [4, 5])


HUGE = "x" * 5_000_000


@pytest.mark.parametrize(
    "text",
    [
        f"name: x\nversion: 1\nfields:\n  a: {{type: '{HUGE}'}}\n",
        f"name: x\nversion: 1\nfields:\n  a: {{regex: '(a)\\1{HUGE}'}}\n",
        f"name: x\nversion: 1\nrules:\n  - 'when a == 1 {HUGE}'\n",
        f"name: x\nversion: 1\nbehaviour:\n  escalation_rate:\n    escalated_when: '{HUGE} = 1'\n",
        f"name: x\nversion: 1\nfields:\n  a: {{min: '{HUGE}'}}\n",
        f"name: x\nversion: 1\n'{HUGE}': 1\n",
        f"name: x\nversion: 1\nfields: [{HUGE}\n",
    ],
)
def test_an_error_about_a_huge_value_stays_short(text):
    with pytest.raises(ContractError) as caught:
        parse_contract_text(text, origin="c.yaml")
    assert str(caught.value).startswith("c.yaml") and len(str(caught.value)) <= 1100


def test_an_unknown_huge_expectation_name_stays_short():
    contract = parse_contract_text(f"name: x\nversion: 1\nexpectations:\n  - type: expect_{HUGE}\n    kwargs: {{}}\n")
    with pytest.raises(ContractError) as caught:
        compile_contract(contract)
    assert len(str(caught.value)) <= 1100


def test_an_oversized_contract_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("name: x\nversion: 1\ndescription: '" + "x" * MAX_CONTRACT_BYTES + "'\n")
    with pytest.raises(ContractError, match="a contract is at most"):
        load_contract(path)


def test_blank_means_what_python_calls_whitespace():
    """RE2's `\\S` would take a value of non-breaking spaces or a vertical tab for filled in."""
    import re

    from airflow_evalguard.contracts.gx_runner import validate_frame

    values = ["\u00a0\u2003", "\x0b", "\u3000x", "\u200b", " \t\r\n\x1c\x85\u2028"]
    contract = parse_contract_text(
        "name: x\nversion: 1\nfields:\n  note: {non_empty: true}\nrules:\n  - when kind == 1 then note is empty\n"
    )
    records = pd.DataFrame({"note": values, "kind": [1] * len(values)})
    outcomes = {
        o.spec.clause + "/" + o.spec.type: o for o in validate_frame(records, compile_contract(contract), "s")[0]
    }
    blank = [i for i, value in enumerate(values) if not re.search(r"\S", value)]
    assert blank == [0, 1, 4]
    assert outcomes["fields.note.non_empty/expect_column_values_to_match_regex"].unexpected_index == blank
    assert outcomes["rules.0/expect_column_values_to_not_match_regex"].unexpected_index == [2, 3]


@pytest.mark.parametrize(
    "condition",
    [
        "col(\"tool\")==\"x\" or @__import__('os').system('id')",
        'col("tool")=="x" and col("other")=="y"',
        'col("a").notnull() extra',
        'col("a") > 1 garbage',
    ],
)
def test_a_gx_text_row_condition_must_parse_completely(condition):
    """GX's parser reads a prefix and drops the rest, so the gate checked a condition nobody wrote."""
    suite = {
        "name": "s",
        "expectations": [
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "tool", "row_condition": condition, "condition_parser": "great_expectations"},
            }
        ],
    }
    contract = parse_contract_text(json.dumps(suite), origin="suite.json")
    with pytest.raises(
        ContractError,
        match=r"suite.json line 1 \(expectations\[0\]\.kwargs\.row_condition\): "
        r".*only part",
    ):
        compile_contract(contract)


def test_a_gx_text_row_condition_with_an_infinite_number_is_refused():
    suite = {
        "name": "s",
        "expectations": [
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {
                    "column": "a",
                    "row_condition": 'col("b") > 1e999',
                    "condition_parser": "great_expectations",
                },
            }
        ],
    }
    with pytest.raises(ContractError, match=r"kwargs\.row_condition\): .*not a finite number"):
        compile_contract(parse_contract_text(json.dumps(suite), origin="suite.json"))


def _json_schema_contract(schema: str):
    return parse_contract_text(
        "name: x\nversion: 1\nexpectations:\n  - type: expect_column_values_to_match_json_schema\n"
        f"    kwargs: {{column: a, json_schema: {schema}}}\n",
        origin="c.yaml",
    )


@pytest.mark.parametrize(
    "schema",
    [
        "{type: object, properties: {pattern: {type: string}}, required: [pattern]}",
        "{properties: {patternProperties: {type: integer}}}",
        "{$defs: {pattern: {type: string}}, properties: {a: {$ref: '#/$defs/pattern'}}}",
        "{properties: {a: {const: {pattern: x}, enum: [{pattern: y}], default: {pattern: z}, "
        "examples: [{pattern: w}]}}}",
    ],
)
def test_a_json_schema_may_name_a_property_pattern(schema):
    assert len(compile_contract(_json_schema_contract(schema))) == 1


@pytest.mark.parametrize(
    "schema",
    [
        "{properties: {pattern: {type: string, pattern: '^(a+)+$'}}}",
        "{items: {pattern: '^(a+)+$'}}",
        "{allOf: [{type: string}, {pattern: x}]}",
        "{additionalProperties: {patternProperties: {x: {}}}}",
        "{$defs: {pattern: {pattern: x}}}",
        "{not: {pattern: x}}",
    ],
)
def test_a_json_schema_pattern_keyword_is_still_refused_wherever_it_is(schema):
    with pytest.raises(ContractError, match=r"kwargs\.json_schema\): JSON Schema 'pattern'"):
        compile_contract(_json_schema_contract(schema))
