"""Automatic streaming of large parquet paths: with the threshold forced to 0, the streamed form
gives the row path's verdict, metrics, slices and findings; what the row path refuses is still
refused; what it alone can read stays on it; params["input_sources"] says which form ran."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airflow_evalguard.cli import main
from airflow_evalguard.demo.data import eval_sample, production_traffic
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from airflow_evalguard.sources.auto_stream import stream_large_inputs
from tests.sources.same import same

DIMS = ["region", "source", "is_retry"]
TZ = "Europe/Berlin"
PARAMS = {"dimensions": DIMS, "timezone": TZ, "n_boot": 200}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A cron-window sample and its production reference, as parquet paths (tz-aware timestamps)."""
    where = tmp_path_factory.mktemp("auto_stream")
    traffic = production_traffic(6000, seed=7)
    sample = eval_sample(traffic, 700, fault="cron_window", seed=7)
    paths = {"sample": str(where / "sample.parquet"), "reference": str(where / "reference.parquet")}
    sample.to_parquet(paths["sample"], row_group_size=200)  # several row groups: several batches
    traffic.to_parquet(paths["reference"], row_group_size=1000)
    return paths


def _both(inputs, params, threshold=0):
    """The row path's result and the automatic path's (and the inputs it ran on)."""
    routed = stream_large_inputs("sampling_window", inputs, params, None, threshold)
    return run_check("sampling_window", inputs, params), run_check("sampling_window", routed, params), routed


def test_streamed_sample_and_reference_give_the_row_paths_result(files):
    rows, streamed, routed = _both(files, PARAMS)
    same(rows, streamed)
    assert rows.verdict.value == "FAIL"  # the cron window is caught either way
    sources = streamed.params["input_sources"]
    assert sources["reference"]["form"] == "stream (automatic: 6000 rows > 0)"
    n_sample = len(pd.read_parquet(files["sample"]))
    assert sources["sample"]["form"] == f"stream (automatic: {n_sample} rows > 0)"
    assert sources["sample"]["path"] == files["sample"]
    assert "input_sources" not in rows.params and rows.params["sample_form"] == "rows"


def test_inputs_at_or_below_the_threshold_keep_the_row_path(files):
    n_sample = len(pd.read_parquet(files["sample"]))
    routed = stream_large_inputs("sampling_window", files, PARAMS, None, n_sample)
    assert routed["sample"] == files["sample"]  # not more rows than the threshold
    assert isinstance(routed["reference"], pd.DataFrame)
    assert stream_large_inputs("sampling_window", files, PARAMS, None, 6000) == files


def test_a_sample_with_id_column_keeps_its_rows_for_the_per_row_weights(files):
    params = {**PARAMS, "id_column": "region"}
    routed = stream_large_inputs("sampling_window", files, params, None, 0)
    assert routed["sample"] == files["sample"] and isinstance(routed["reference"], pd.DataFrame)
    same(run_check("sampling_window", files, params), run_check("sampling_window", routed, params))


def test_checks_and_inputs_without_a_route_are_left_alone(files):
    assert stream_large_inputs("refusal_regression", {"baseline": files["sample"]}, {}, None, 0) == {
        "baseline": files["sample"]
    }
    frame = pd.read_parquet(files["sample"])
    routed = stream_large_inputs("sampling_window", {"sample": frame, "reference": files["reference"]}, PARAMS, None, 0)
    assert routed["sample"] is frame


def test_text_timestamps_and_missing_columns_stay_on_the_row_path(tmp_path, files):
    as_text = pd.read_parquet(files["sample"]).assign(ts=lambda f: f["ts"].astype(str))
    as_text.to_parquet(tmp_path / "text.parquet")
    inputs = {"sample": str(tmp_path / "text.parquet"), "reference": files["reference"]}
    assert stream_large_inputs("sampling_window", inputs, PARAMS, None, 0)["sample"] == inputs["sample"]
    missing = {**PARAMS, "dimensions": [*DIMS, "tenant"]}
    assert stream_large_inputs("sampling_window", files, missing, None, 0) == files
    with pytest.raises(EvalGuardInputError, match="tenant"):  # the row path names the missing column
        run_check("sampling_window", files, missing)


def test_bad_params_are_refused_before_anything_is_read(files):
    with pytest.raises(EvalGuardInputError, match="alpha"):
        stream_large_inputs("sampling_window", files, {**PARAMS, "alpha": 5}, None, 0)


def test_missing_timestamps_are_refused_on_both_paths(tmp_path, files):
    sample = pd.read_parquet(files["sample"])
    sample.loc[sample.index[:3], "ts"] = pd.NaT
    sample.to_parquet(tmp_path / "holes.parquet")
    inputs = {"sample": str(tmp_path / "holes.parquet"), "reference": files["reference"]}
    with pytest.raises(EvalGuardInputError, match="input 'sample': column 'ts' has missing or unparseable"):
        run_check("sampling_window", inputs, PARAMS)
    with pytest.raises(
        EvalGuardInputError, match=r"input 'sample' \(streamed automatically\): .*'ts' has missing"
    ) as caught:
        stream_large_inputs("sampling_window", inputs, PARAMS, None, 0)
    assert caught.value.input_name == "sample" and caught.value.column == "ts"


def test_a_corrupt_file_is_refused_by_the_row_path(tmp_path, files):
    (tmp_path / "corrupt.parquet").write_bytes(b"PAR1 this is not parquet PAR1")
    inputs = {"sample": str(tmp_path / "corrupt.parquet"), "reference": files["reference"]}
    routed = stream_large_inputs("sampling_window", inputs, PARAMS, None, 0)
    assert routed["sample"] == inputs["sample"]
    with pytest.raises(EvalGuardInputError):
        run_check("sampling_window", routed, PARAMS)


def test_unused_categories_and_nullable_integers_read_as_on_the_row_path(tmp_path):
    """A pandas categorical keeps its unused categories as levels, and an Int64 column with nulls
    prints its levels as integers, whether the file is read as rows or streamed."""
    rng = np.random.default_rng(5)
    paths = {}
    for name, n in (("sample", 300), ("reference", 2000)):
        frame = pd.DataFrame(
            {
                "ts": pd.Timestamp("2026-10-20", tz="UTC") + pd.to_timedelta(rng.integers(0, 3 * 86_400, n), "s"),
                "region": pd.Categorical(rng.choice(["eu", "us"], n), categories=["apac", "eu", "us", "zz"]),
                "tier": pd.array(rng.choice([0, 1, None], n), dtype="Int64"),
            }
        )
        frame[frame.index % 3 != 0].to_parquet(tmp_path / f"{name}.parquet")  # a stored, non-range index
        paths[name] = str(tmp_path / f"{name}.parquet")
    params = {"dimensions": ["region", "tier"], "n_boot": 200}
    rows, streamed, routed = _both(paths, params)
    same(rows, streamed)
    assert set(routed["reference"]["region"].cat.categories) == {"apac", "eu", "us", "zz"}
    assert str(routed["reference"]["tier"].dtype) == "Int64"


HOSTILE = st.sampled_from(["eu", "us", "'; DROP TABLE x; --", '"quoted"', "back\\slash", "<b>html</b>", "ünï"])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    n_sample=st.integers(1, 60),
    n_reference=st.integers(1, 120),
    zone=st.sampled_from(["UTC", "America/New_York", "Asia/Kolkata"]),
    aware=st.booleans(),
)
def test_property_rows_and_automatic_stream_agree(tmp_path_factory, data, n_sample, n_reference, zone, aware):
    """Random strata (nulls, hostile strings, nullable integers), naive or zoned timestamps, any zone."""
    where = tmp_path_factory.mktemp("prop")
    paths = {}
    for name, n in (("sample", n_sample), ("reference", n_reference)):
        seconds = data.draw(st.lists(st.integers(0, 10 * 86_400), min_size=n, max_size=n))
        kinds = data.draw(st.lists(st.one_of(st.none(), HOSTILE), min_size=n, max_size=n))
        tiers = data.draw(st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=n, max_size=n))
        ts = pd.to_datetime(np.asarray(seconds) + 1_790_000_000, unit="s", utc=aware)
        frame = pd.DataFrame({"ts": ts, "kind": kinds, "tier": pd.array(tiers, dtype="Int64")})
        frame.to_parquet(where / f"{name}.parquet")
        paths[name] = str(where / f"{name}.parquet")
    params = {"dimensions": ["kind", "tier"], "timezone": zone, "n_boot": 200}
    try:
        rows = run_check("sampling_window", paths, params)
    except EvalGuardInputError:
        rows = None
    if rows is None:  # whatever the row path refuses, the streamed form refuses too (routing or check)
        with pytest.raises(EvalGuardInputError):
            run_check("sampling_window", stream_large_inputs("sampling_window", paths, params, None, 0), params)
        return
    same(rows, run_check("sampling_window", stream_large_inputs("sampling_window", paths, params, None, 0), params))


def test_cli_flag_streams_and_says_so(files, tmp_path, capsys):
    args = ["run", "sampling_window", *(f"--input={n}={p}" for n, p in files.items())]
    args += [f"--param={key}={json.dumps(value)}" for key, value in PARAMS.items()]
    assert main([*args, "--auto-stream-rows", "1000", "--json", "--out", str(tmp_path / "out")]) == 1
    sources = json.loads(capsys.readouterr().out)["params"]["input_sources"]
    assert sources == {"reference": {"form": "stream (automatic: 6000 rows > 1000)", "path": files["reference"]}}
    assert main([*args, "--auto-stream-rows", "-1", "--out", str(tmp_path / "bad")]) == 2
