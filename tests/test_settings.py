"""Deployment settings: the byte-count parser, the decompression cap's precedence (CLI flag,
environment, Airflow option, default), the artifact root, and no Airflow import to read them."""

import subprocess
import sys

import pytest

from airflow_evalguard import settings
from airflow_evalguard.exceptions import EvalGuardInputError


@pytest.mark.parametrize(("text", "expected"), [("1024", 1024), (" 2_048 ", 2048), (7, 7)])
def test_parse_byte_count(text, expected):
    assert settings.parse_byte_count(text, "where") == expected


@pytest.mark.parametrize("text", ["1.5", "lots", "0", "-3", ""])
def test_parse_byte_count_refuses_anything_but_a_positive_whole_number(text):
    with pytest.raises(EvalGuardInputError, match="^where must be"):
        settings.parse_byte_count(text, "where")


def test_decompression_cap_precedence(monkeypatch):
    monkeypatch.delenv(settings.MAX_DECOMPRESSED_ENV, raising=False)
    monkeypatch.delenv("AIRFLOW__EVALGUARD__MAX_DECOMPRESSED_BYTES", raising=False)
    assert settings.max_decompressed_bytes() == settings.DEFAULT_MAX_DECOMPRESSED_BYTES == 2 << 30
    monkeypatch.setenv("AIRFLOW__EVALGUARD__MAX_DECOMPRESSED_BYTES", "300")
    assert settings.max_decompressed_bytes() == 300
    monkeypatch.setenv(settings.MAX_DECOMPRESSED_ENV, "200")
    assert settings.max_decompressed_bytes() == 200
    with settings.max_decompressed_bytes_set_to(100):
        assert settings.max_decompressed_bytes() == 100
    assert settings.max_decompressed_bytes() == 200  # the override ends with its block


def test_auto_stream_threshold_precedence(monkeypatch):
    monkeypatch.delenv(settings.AUTO_STREAM_ENV, raising=False)
    monkeypatch.delenv("AIRFLOW__EVALGUARD__AUTO_STREAM_ROWS", raising=False)
    assert settings.auto_stream_rows() == settings.auto_stream_rows_from_env() == 5_000_000
    monkeypatch.setenv("AIRFLOW__EVALGUARD__AUTO_STREAM_ROWS", "300")
    assert settings.auto_stream_rows() == 300
    assert settings.auto_stream_rows_from_env() == 5_000_000  # the CLI never reads Airflow's config
    monkeypatch.setenv(settings.AUTO_STREAM_ENV, "0")
    assert settings.auto_stream_rows() == settings.auto_stream_rows_from_env() == 0
    assert settings.auto_stream_rows_from_env(7) == 7  # the CLI flag wins
    monkeypatch.setenv(settings.AUTO_STREAM_ENV, "lots")
    with pytest.raises(EvalGuardInputError, match="EVALGUARD_AUTO_STREAM_ROWS must be a whole number"):
        settings.auto_stream_rows()


def test_artifact_root(monkeypatch, tmp_path):
    monkeypatch.setenv("AIRFLOW__EVALGUARD__ARTIFACT_ROOT", "s3://evals/evalguard")
    assert settings.default_artifact_root() == "s3://evals/evalguard"
    monkeypatch.delenv("AIRFLOW__EVALGUARD__ARTIFACT_ROOT")
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path))
    assert settings.default_artifact_root() == str(tmp_path / "evalguard")


def test_importing_settings_and_parsing_do_not_load_airflow():
    code = (
        "import sys; from airflow_evalguard import settings; settings.parse_byte_count('5', 'x'); "
        "print('airflow' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "False"
