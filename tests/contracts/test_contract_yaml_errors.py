"""Any text that is not YAML is the contract author's mistake (exit 2, naming the file), never a
crash of the tool (exit 4): control characters, non-characters, files such as /proc/self/environ."""

import pytest

from airflow_evalguard.cli import main
from airflow_evalguard.contracts.loader import ContractError, parse_contract_text


@pytest.mark.parametrize(
    "text, line",
    [
        ("name: x\nversion: 1\n# a bell \x07 in a comment\n", 3),
        ("name: x\nversion: 1\ndescription: '\ufffe'\n", 3),
        ("name: x\x00\nversion: 1\n", 1),
    ],
)
def test_a_character_yaml_refuses_is_a_contract_error_with_its_line(text, line):
    with pytest.raises(ContractError, match=rf"^c.yaml line {line}: not valid YAML: unacceptable character"):
        parse_contract_text(text, origin="c.yaml")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("name: x\nversion: 1\ndescription: 2026-13-45\n", "month must be in 1..12"),
        ("name: x\nversion: 1\ndescription: !!float abc\n", "could not convert"),
        ("name: x\nversion: 1\ndescription: !!timestamp abc\n", "not valid YAML"),
        ("name: x\nversion: 1\ndescription: !!int 12ab\n", "invalid literal"),
        ("name: x\nversion: 1\ndescription: !!binary 'a'\n", "failed to decode base64"),
        ("name: x\nversion: 1\ndescription: " + "1" * 5000 + "\n", "Exceeds the limit"),
        ("name: x\nversion: [\n", "expected"),
        ("name: x\nversion: 1\n? [a]\n: 1\n", "unhashable"),
    ],
)
def test_every_yaml_error_is_a_contract_error_naming_the_file(text, problem):
    with pytest.raises(ContractError, match=r"^c.yaml line \d+.*: not valid YAML") as caught:
        parse_contract_text(text, origin="c.yaml")
    assert problem in str(caught.value) and len(str(caught.value)) <= 1000


@pytest.mark.parametrize("content", [b"name: x\nversion: 1\n# \x07\n", "a: '\ufffe'\n".encode(), b"A=1\x00B=2\x00"])
def test_the_cli_exits_2_not_4(tmp_path, capsys, content):
    (tmp_path / "c.yaml").write_bytes(content)
    assert main(["contract", "validate", str(tmp_path / "c.yaml")]) == 2
    assert "c.yaml" in capsys.readouterr().err


def test_proc_self_environ_is_refused_as_input_not_as_a_crash(capsys):
    assert main(["contract", "validate", "/proc/self/environ"]) == 2
