"""--params-file is read strictly: anything surprising is refused by name, never guessed at."""

import json
import sys

import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.params_file import (
    MAX_NESTING,
    PARAMS_FILE_MAX_BYTES,
    TooLargeInt,
    load_params_file,
    parse_json,
    refuse_too_large_ints,
    values_in,
)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_and_yaml_read_the_same_params(tmp_path):
    params = {"alpha": 0.05, "n_boot": 2000, "slices": ["a", "b"], "bands": {"warn": 0.1}}
    assert load_params_file(_write(tmp_path, "p.json", json.dumps(params))) == params
    yaml_text = "alpha: 0.05\nn_boot: 2000\nslices: [a, b]\nbands:\n  warn: 0.1\n"
    assert load_params_file(_write(tmp_path, "p.yaml", yaml_text)) == params


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("p.json", '{"alpha": 0.1, "alpha": 0.2}', "duplicate key 'alpha'"),
        ("p.yaml", "alpha: 0.1\nalpha: 0.2\n", "duplicate key 'alpha'"),
        ("p.yaml", "base: &b {x: 1}\nother: *b\n", "anchors and aliases"),
        ("p.yaml", "base: {x: 1}\nother:\n  <<: {x: 1}\n", "merge keys"),
        ("p.json", "[1, 2]", "expected a mapping"),
        ("p.json", "{'alpha': 1}", "not valid JSON"),
        ("p.json", "[" * (MAX_NESTING + 5), "not valid JSON|nested too deeply"),
        ("p.yaml", "[" * (MAX_NESTING + 5) + "]" * (MAX_NESTING + 5), "nested too deeply"),
    ],
)
def test_refused(tmp_path, name, text, message):
    with pytest.raises(EvalGuardInputError, match=message):
        load_params_file(_write(tmp_path, name, text))


def test_sexagesimal_stays_a_string_and_hex_keeps_its_meaning(tmp_path):
    loaded = load_params_file(_write(tmp_path, "p.yaml", "window: 190:20:30\nmask: 0x1F\nratio: 1:30.5\n"))
    assert loaded == {"window": "190:20:30", "mask": 31, "ratio": "1:30.5"}


def test_integers_too_long_to_parse_are_refused_by_param_name(tmp_path):
    digits = "9" * (sys.get_int_max_str_digits() + 1)
    for name, text in (("p.json", f'{{"seed": [{digits}]}}'), ("p.yaml", f"seed: {digits}\n")):
        with pytest.raises(EvalGuardInputError, match="param 'seed' holds an integer too large"):
            load_params_file(_write(tmp_path, name, text))


def test_size_encoding_and_existence(tmp_path):
    with pytest.raises(EvalGuardInputError, match="larger than"):
        load_params_file(_write(tmp_path, "big.json", " " * (PARAMS_FILE_MAX_BYTES + 1)))
    bad = tmp_path / "latin.json"
    bad.write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(EvalGuardInputError, match="not UTF-8 text .byte 0xe9 at offset 13"):
        load_params_file(str(bad))
    with pytest.raises(EvalGuardInputError, match="no such file"):
        load_params_file(str(tmp_path / "missing.json"))


def test_values_in_visits_nested_values_and_keys_once():
    shared = [1, 2]
    found = list(values_in({"a": shared, "b": shared, "c": {"d": 3}}))
    assert found.count(1) == 1 and found.count(3) == 1 and "d" in found and "a" in found


def test_parse_json_and_refuse_too_large_ints():
    parsed = parse_json('{"x": 1' + "0" * (sys.get_int_max_str_digits() + 1) + "}")
    assert isinstance(parsed["x"], TooLargeInt)
    with pytest.raises(EvalGuardInputError, match="^--param: param 'x'"):
        refuse_too_large_ints(parsed, "--param")
    refuse_too_large_ints({"x": 1}, "--param")
