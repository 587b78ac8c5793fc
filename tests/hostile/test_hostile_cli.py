"""Random and corrupted files, parameters and aggregation specs through the `evalguard` CLI.

Each example writes a check's valid inputs as parquet, csv or jsonl (gzipped or not), then may
corrupt one file (truncated, bytes flipped, replaced by noise, emptied), add a hostile
`--param`, or replace an input by a hostile aggregation spec. The CLI must answer with an exit
code in {0, 1, 2, 3} (a malformed local file is never an "environment" error, exit 4), print no
traceback, and write nothing into `--out` when it refuses.
"""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from airflow_evalguard.checks import check_names, get_check
from airflow_evalguard.cli import main
from tests.hostile.profile import HOSTILE

FORMATS = (".parquet", ".csv", ".jsonl", ".csv.gz", ".jsonl.gz")
CORRUPTIONS = ("none", "truncate", "flip_bytes", "noise", "empty", "wrong_suffix")
PARAM_TEXTS = st.one_of(
    st.sampled_from(
        [
            "NaN",
            "Infinity",
            "-Infinity",
            "1e999",
            "[",
            '{"a":',
            "null",
            "[]",
            "{}",
            '"x"',
            "-1",
            "0",
            "true",
            "10000000000000",
        ]
    ),
    st.text(max_size=12),
)
SPECS = st.sampled_from(
    [
        '{"sql": "refusal_cells", "database": "/etc/passwd"}',
        '{"sql": "__class__"}',
        '{"sql": "refusal_cells", "database": ":memory:", "table": "\\"; DROP TABLE x; --"}',
        '{"stream": "counts", "path": "/etc/passwd", "columns": ["x"]}',
        '{"stream": "counts", "path": "/dev/zero.csv", "columns": ["x"]}',
        '{"stream": "../../os.system", "path": "x"}',
        '{"sql": 1}',
        '{"stream": null}',
        '{"sql": "refusal_cells", "duckdb_config": {"allow_unsigned_extensions": true}}',
        '{"sql": "counts", "database": "https://127.0.0.1:9/x.duckdb"}',
        '{"inspect_log": "/dev/zero"}',
        '{"inspect_log": "/etc/passwd", "columns": {"prompt_id": "id"}}',
        '{"inspect_log": ["x"], "epoch": -1}',
        '{"lm_eval_samples": "/etc/passwd", "results": "/etc/passwd"}',
        '{"promptfoo_results": "/etc/hostname", "provider": "echo"}',
    ]
)


@pytest.fixture(scope="module", autouse=True)
def _airflow_logging_set_up_outside_the_capture():
    """Some runs import Airflow (a SQL spec loads its hooks), and Airflow's logging set-up binds a
    handler to whatever sys.stderr is at that moment. Done here, outside capsys, so the handler
    never points at an example's capture stream once that stream is closed."""
    import airflow.settings  # noqa: F401 - imported for its logging set-up
    from airflow.logging_config import configure_logging

    configure_logging()


def _write(frame, path: Path) -> None:
    if path.name.endswith(".parquet"):
        frame.to_parquet(path, index=False)
        return
    text = (
        frame.to_csv(index=False)
        if ".csv" in path.name
        else frame.to_json(orient="records", lines=True, date_format="iso")
    )
    raw = text.encode("utf-8")
    path.write_bytes(gzip.compress(raw) if path.name.endswith(".gz") else raw)


def _corrupt(path: Path, corruption: str, data) -> Path:
    raw = path.read_bytes()
    if corruption == "truncate":
        path.write_bytes(raw[: data.draw(st.integers(0, max(len(raw) - 1, 0)), label="cut_at")])
    elif corruption == "flip_bytes":
        flipped = bytearray(raw)
        for position in data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=8), label="flips"):
            flipped[position] ^= 0xFF
        path.write_bytes(bytes(flipped))
    elif corruption == "noise":
        path.write_bytes(data.draw(st.binary(max_size=2_000), label="noise"))
    elif corruption == "empty":
        path.write_bytes(b"")
    elif corruption == "wrong_suffix":
        renamed = path.with_name(path.name.split(".")[0] + ".csv")
        path.rename(renamed)
        return renamed
    return path


@settings(HOSTILE, max_examples=150)
@given(data=st.data())
def test_the_cli_answers_every_hostile_run_with_an_exit_code_and_one_line(cases, capsys, data):
    capsys.readouterr()  # the fixture is shared by the examples: start from a clean capture
    case = cases[data.draw(st.sampled_from(check_names()), label="check")]
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        argv = ["run", case.check, "--out", str(work_dir / "out")]
        broken = data.draw(st.sampled_from(sorted(case.inputs)), label="broken_input")
        for name, frame in case.inputs.items():
            path = work_dir / f"{name}{data.draw(st.sampled_from(FORMATS), label=f'{name}_format')}"
            _write(frame, path)
            if name == broken:
                path = _corrupt(path, data.draw(st.sampled_from(CORRUPTIONS), label="corruption"), data)
                if data.draw(st.booleans(), label="spec_instead"):
                    argv += ["--input", f"{name}={data.draw(SPECS, label='spec')}"]
                    continue
            argv += ["--input", f"{name}={path}"]
        for param, value in case.params.items():
            argv += ["--param", f"{param}={_json(value)}"]
        if data.draw(st.booleans(), label="hostile_param"):
            name = data.draw(st.sampled_from(sorted(get_check(case.check).params) + ["no_such"]), label="param")
            argv += ["--param", f"{name}={data.draw(PARAM_TEXTS, label='param_text')}"]
        code = main(argv)
        event(f"exit {code}")
        captured = capsys.readouterr()
        out_dir = work_dir / "out"
        assert code in (0, 1, 2, 3), f"exit {code}: {captured.err[-600:]}"
        assert "Traceback" not in captured.err + captured.out, captured.err[-2_000:]
        if code == 2:
            assert len(captured.err.strip().splitlines()) == 1, captured.err[-1_000:]
            assert not out_dir.exists() or not any(out_dir.iterdir()), sorted(out_dir.rglob("*"))
        else:
            assert (out_dir / "result.json").is_file()


def _json(value) -> str:
    import json

    return json.dumps(value)
