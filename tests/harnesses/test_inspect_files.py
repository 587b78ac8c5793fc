"""Which Inspect logs are refused before any row is built: unknown versions, unfinished evals,
files that are not Inspect logs, truncated JSON."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from airflow_evalguard.harnesses.inspect_files import KNOWN_VERSIONS, load
from airflow_evalguard.harnesses.shared import HarnessLogError
from tests.conftest import DATA

LOGS = DATA / "harnesses" / "inspect"


def _log(**changes) -> bytes:
    log = json.loads((LOGS / "baseline.json").read_text())
    log.update(changes)
    return json.dumps(log).encode()


def _load(data: bytes, uri: str = "x.json"):
    return load(data, uri, "input 'b' (x)", "b", use_inspect=False)


@pytest.mark.parametrize("version", [1, 3, "2", None])
def test_an_unknown_format_version_is_refused_naming_the_known_ones(version):
    with pytest.raises(
        HarnessLogError, match=re.escape(f"version {version!r}; this reader knows version(s) {list(KNOWN_VERSIONS)}")
    ):
        _load(_log(version=version))


@pytest.mark.parametrize("status", ["started", None, "weird"])
def test_an_unfinished_log_is_refused(status):
    with pytest.raises(HarnessLogError, match="unfinished Inspect log"):
        _load(_log(status=status))


def test_an_eval_zip_with_only_its_journal_is_an_unfinished_eval():
    real = zipfile.ZipFile(io.BytesIO((LOGS / "baseline.eval").read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as partial:
        partial.writestr("_journal/start.json", b"{}")
        partial.writestr("samples/xs-01_epoch_1.json", b"{}")
    assert "header.json" in real.namelist()  # the real finished log has one
    with pytest.raises(HarnessLogError, match="has not finished"):
        _load(buffer.getvalue(), "run.eval")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"version": 2, "status": "success", "eval": {"task": "t"}, "samples": [', "truncated"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[1, 2, 3]", "not an Inspect eval log"),
        (b'{"version": 2, "status": "success"}', "no 'eval' header"),
        (b'{"version": 2, "status": "success", "eval": {}, "samples": {"a": 1}}', "not a list"),
    ],
)
def test_files_that_are_not_complete_inspect_logs_are_refused(data, message):
    with pytest.raises(HarnessLogError, match=message):
        _load(data)


def test_the_real_logs_load_with_their_samples():
    for suffix in (".eval", ".json"):
        header, samples = _load((LOGS / f"baseline{suffix}").read_bytes(), f"baseline{suffix}")
        assert header["eval"]["task"] == "xstest_mini"
        assert len(list(samples)) == header["eval"]["dataset"]["samples"] * header["eval"]["config"]["epochs"]
